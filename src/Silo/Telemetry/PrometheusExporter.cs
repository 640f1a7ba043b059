using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Globalization;
using System.Text;

namespace Bifro.Silo.Telemetry;

/// <summary>
/// Prometheus text exposition (format 0.0.4) of the node's meters: every "Bifro.*" meter and .NET's own
/// "System.Runtime". The registry here has no Prometheus exporter package, so this listens with a
/// <see cref="MeterListener"/> and writes the format itself. Counters and histograms aggregate as
/// measurements arrive; observable instruments are read at each scrape.
/// </summary>
internal sealed class PrometheusExporter : IDisposable
{
    /// <summary>Latency buckets in seconds: 100 µs to 10 s.</summary>
    internal static readonly double[] SecondsBounds = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

    private static readonly double[] DefaultBounds = [0, 5, 10, 25, 50, 75, 100, 250, 500, 750, 1000, 2500, 5000, 7500, 10000];

    private readonly MeterListener _listener = new();
    private readonly ConcurrentDictionary<Instrument, InstrumentState> _instruments = new();
    private readonly Lock _scrape = new();
    private readonly object? _scope;

    /// <param name="scope">
    /// The host's meter factory: meters it made for another host in the same process (tests) are left out.
    /// Meters made without a factory (static ones) are always in.
    /// </param>
    public PrometheusExporter(IMeterFactory? scope = null)
    {
        _scope = scope;
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (!Accepts(instrument.Meter))
            {
                return;
            }

            var state = _instruments.GetOrAdd(instrument, static i => Describe(i));
            listener.EnableMeasurementEvents(instrument, state);
        };
        _listener.MeasurementsCompleted = (instrument, _) => _instruments.TryRemove(instrument, out InstrumentState? _);
        _listener.SetMeasurementEventCallback<long>(static (_, value, tags, state) => Record((InstrumentState)state!, value, tags));
        _listener.SetMeasurementEventCallback<int>(static (_, value, tags, state) => Record((InstrumentState)state!, value, tags));
        _listener.SetMeasurementEventCallback<double>(static (_, value, tags, state) => Record((InstrumentState)state!, value, tags));
        _listener.SetMeasurementEventCallback<float>(static (_, value, tags, state) => Record((InstrumentState)state!, value, tags));
        _listener.SetMeasurementEventCallback<short>(static (_, value, tags, state) => Record((InstrumentState)state!, value, tags));
        _listener.SetMeasurementEventCallback<byte>(static (_, value, tags, state) => Record((InstrumentState)state!, value, tags));
        _listener.Start();
    }

    /// <summary>Reads the observable instruments and writes every series in the text format.</summary>
    public string Collect()
    {
        lock (_scrape)
        {
            foreach (var state in _instruments.Values)
            {
                if (state.IsObservable)
                {
                    state.Reset();
                }
            }

            _listener.RecordObservableInstruments();
            var byName = new SortedDictionary<string, List<InstrumentState>>(StringComparer.Ordinal);
            foreach (var state in _instruments.Values)
            {
                var name = MetricName(state);
                if (!byName.TryGetValue(name, out var list))
                {
                    byName[name] = list = [];
                }

                list.Add(state);
            }

            var text = new StringBuilder(8192);
            foreach (var (name, states) in byName)
            {
                Write(text, name, states);
            }

            return text.ToString();
        }
    }

    public void Dispose() => _listener.Dispose();

    private bool Accepts(Meter meter) =>
        (meter.Name.StartsWith("Bifro.", StringComparison.Ordinal) || meter.Name == "System.Runtime")
        && (meter.Scope is null || _scope is null || ReferenceEquals(meter.Scope, _scope));

    private static InstrumentState Describe(Instrument instrument)
    {
        var definition = instrument.GetType().IsGenericType ? instrument.GetType().GetGenericTypeDefinition() : instrument.GetType();
        if (definition == typeof(Histogram<>))
        {
            return new InstrumentState(instrument, "histogram", instrument.Unit == "s" ? SecondsBounds : DefaultBounds, setsValue: false);
        }

        var counter = definition == typeof(Counter<>) || definition == typeof(ObservableCounter<>);
        return new InstrumentState(instrument, counter ? "counter" : "gauge", null, setsValue: instrument.IsObservable || definition == typeof(Gauge<>));
    }

    private static void Record(InstrumentState state, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var series = state.Find(tags);
        if (state.Bounds is { } bounds)
        {
            series.Record(value, bounds);
        }
        else if (state.SetsValue)
        {
            series.Set(value);
        }
        else
        {
            series.Add(value);
        }
    }

    /// <summary>"bifro.mqtt.messages.received" → "bifro_mqtt_messages_received_total"; seconds and bytes get their unit.</summary>
    internal static string MetricName(InstrumentState state)
    {
        var name = Sanitize(state.Instrument.Name);
        var suffix = state.Instrument.Unit switch
        {
            "s" => "_seconds",
            "By" => "_bytes",
            _ => string.Empty,
        };
        if (suffix.Length > 0 && !name.EndsWith(suffix, StringComparison.Ordinal))
        {
            name += suffix;
        }

        return state.Kind == "counter" ? name + "_total" : name;
    }

    private static void Write(StringBuilder text, string name, List<InstrumentState> states)
    {
        var first = states[0];
        if (first.Instrument.Description is { Length: > 0 } description)
        {
            text.Append("# HELP ").Append(name).Append(' ').Append(description.Replace("\\", "\\\\").Replace("\n", "\\n")).Append('\n');
        }

        text.Append("# TYPE ").Append(name).Append(' ').Append(first.Kind).Append('\n');
        foreach (var state in states)
        {
            foreach (var series in state.Series)
            {
                if (state.Bounds is { } bounds)
                {
                    var cumulative = 0L;
                    var buckets = series.Buckets!;
                    for (var i = 0; i <= bounds.Length; i++)
                    {
                        cumulative += Volatile.Read(ref buckets[i]);
                        var le = i < bounds.Length ? Format(bounds[i]) : "+Inf";
                        WriteSample(text, name + "_bucket", series.Tags, le, cumulative.ToString(CultureInfo.InvariantCulture));
                    }

                    WriteSample(text, name + "_sum", series.Tags, null, Format(series.Sum));
                    WriteSample(text, name + "_count", series.Tags, null, series.Count.ToString(CultureInfo.InvariantCulture));
                }
                else
                {
                    WriteSample(text, name, series.Tags, null, Format(series.Value));
                }
            }
        }
    }

    private static void WriteSample(StringBuilder text, string name, KeyValuePair<string, object?>[] tags, string? le, string value)
    {
        text.Append(name);
        if (tags.Length > 0 || le is not null)
        {
            text.Append('{');
            var comma = false;
            foreach (var (key, tagValue) in tags)
            {
                if (comma)
                {
                    text.Append(',');
                }

                text.Append(Sanitize(key)).Append("=\"");
                AppendEscaped(text, Convert.ToString(tagValue, CultureInfo.InvariantCulture) ?? string.Empty);
                text.Append('"');
                comma = true;
            }

            if (le is not null)
            {
                text.Append(comma ? "," : string.Empty).Append("le=\"").Append(le).Append('"');
            }

            text.Append('}');
        }

        text.Append(' ').Append(value).Append('\n');
    }

    private static void AppendEscaped(StringBuilder text, string value)
    {
        foreach (var c in value)
        {
            _ = c switch
            {
                '\\' => text.Append("\\\\"),
                '"' => text.Append("\\\""),
                '\n' => text.Append("\\n"),
                _ => text.Append(c),
            };
        }
    }

    private static string Sanitize(string name)
    {
        var builder = new StringBuilder(name.Length);
        foreach (var c in name)
        {
            builder.Append(char.IsAsciiLetterOrDigit(c) || c == '_' ? c : '_');
        }

        if (builder.Length > 0 && char.IsAsciiDigit(builder[0]))
        {
            builder.Insert(0, '_');
        }

        return builder.ToString();
    }

    private static string Format(double value) =>
        double.IsPositiveInfinity(value) ? "+Inf" : double.IsNegativeInfinity(value) ? "-Inf" : double.IsNaN(value) ? "NaN" : value.ToString("R", CultureInfo.InvariantCulture);
}
