using System.Diagnostics.Metrics;

namespace Bifro.Silo.Telemetry;

/// <summary>
/// What the exporter keeps of one instrument: its series. A measurement finds its series by scanning the few
/// there are (tags are compared, nothing is allocated); a new tag set takes the lock once and adds a series.
/// Observable instruments' series are replaced at each scrape, so a tenant that went away disappears.
/// </summary>
internal sealed class InstrumentState(Instrument instrument, string kind, double[]? bounds, bool setsValue)
{
    private readonly Lock _gate = new();
    private MetricSeries[] _series = [];

    public Instrument Instrument { get; } = instrument;

    /// <summary>"counter", "gauge" or "histogram", as the exposition format names it.</summary>
    public string Kind { get; } = kind;

    public double[]? Bounds { get; } = bounds;

    public bool IsObservable => Instrument.IsObservable;

    /// <summary>Whether a measurement replaces the value (observables: their total or level; Gauge: its latest) rather than adds to it.</summary>
    public bool SetsValue { get; } = setsValue;

    public MetricSeries[] Series => Volatile.Read(ref _series);

    public MetricSeries Find(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        foreach (var series in Volatile.Read(ref _series))
        {
            if (series.Matches(tags))
            {
                return series;
            }
        }

        lock (_gate)
        {
            foreach (var series in _series)
            {
                if (series.Matches(tags))
                {
                    return series;
                }
            }

            var added = new MetricSeries(tags.ToArray(), Bounds?.Length ?? 0);
            Volatile.Write(ref _series, [.. _series, added]);
            return added;
        }
    }

    /// <summary>Before an observable instrument is read again: its old series go.</summary>
    public void Reset()
    {
        lock (_gate)
        {
            Volatile.Write(ref _series, []);
        }
    }
}
