using System.Globalization;
using Bifro.Bench.Scenarios;

namespace Bifro.Bench.Runner;

/// <summary>
/// A number taken from each <see cref="ScenarioResult"/>: the table shows those with <see cref="InTable"/>,
/// the JSON summary all of them, under <see cref="Key"/>. <see cref="Latency"/> metrics (ms) also get the
/// cross-node difference column; <see cref="Lost"/>, where set, says a round lost messages, which makes its
/// rate a count of what arrived rather than a speed.
/// </summary>
internal sealed record Metric(
    string Key, string Name, Func<ScenarioResult, double?> Value, Func<double, string> Format, bool InTable = true,
    bool Latency = false, Func<ScenarioResult, bool>? Lost = null)
{
    private static readonly CultureInfo s_invariant = CultureInfo.InvariantCulture;

    private static readonly Metric s_brokerCpu = new("brokerCpuSeconds", "broker CPU s, whole scenario", r => r.Cpu?.BrokerSeconds, Seconds);

    /// <summary>The metrics of a scenario, in table order; the JSON-only ones last.</summary>
    public static IEnumerable<Metric> For(string scenario, RunParameters parameters)
    {
        if (scenario == ScenarioCatalog.IdleMemory)
        {
            yield return new Metric("idle.kibPerConnection", $"KiB per idle connection ({parameters.IdleConnections:#,0})", r => r.IdleMemory?.KiBPerConnection, v => v.ToString("0.00", s_invariant));
            yield return new Metric("idle.connectsPerSecond", "idle connects/s", r => r.IdleMemory?.ConnectsPerSecond, Count);
            yield return s_brokerCpu;
            yield break;
        }

        var rate = parameters.PacedRate.ToString("#,0", s_invariant);
        yield return new Metric("A.deliveredPerSecond", "A delivered msg/s", r => r.MaxRate?.DeliveredPerSecond, Count, Lost: r => r.MaxRate is { Complete: false });
        yield return new Metric("A.deliveredPercent", "A % delivered", r => r.MaxRate?.DeliveredPercent, Percent);
        yield return new Metric("A.p50Ms", "A p50 latency ms", r => r.MaxRate?.P50Ms, Milliseconds, Latency: true);
        yield return new Metric("A.p99Ms", "A p99 latency ms", r => r.MaxRate?.P99Ms, Milliseconds, Latency: true);
        yield return new Metric("A.brokerMicrosecondsPerMessage", "A broker CPU µs per message", r => r.MaxRate?.BrokerMicrosecondsPerMessage, Microseconds);
        yield return new Metric("A.loadGenMicrosecondsPerMessage", "A load generator CPU µs per message", r => r.MaxRate?.LoadGenMicrosecondsPerMessage, Microseconds);
        yield return new Metric("B.p50Ms", $"B p50 latency ms @ {rate}/s", r => r.Paced?.P50Ms, Milliseconds, Latency: true);
        yield return new Metric("B.p99Ms", $"B p99 latency ms @ {rate}/s", r => r.Paced?.P99Ms, Milliseconds, Latency: true);
        yield return new Metric("B.deliveredPercent", "B % delivered", r => r.Paced?.DeliveredPercent, Percent);
        yield return s_brokerCpu;
        yield return new Metric("A.p999Ms", "A p99.9 latency ms", r => r.MaxRate?.P999Ms, Milliseconds, InTable: false);
        yield return new Metric("A.maxMs", "A max latency ms", r => r.MaxRate?.MaxMs, Milliseconds, InTable: false);
        yield return new Metric("B.p90Ms", $"B p90 latency ms @ {rate}/s", r => r.Paced?.P90Ms, Milliseconds, InTable: false);
        yield return new Metric("B.p999Ms", $"B p99.9 latency ms @ {rate}/s", r => r.Paced?.P999Ms, Milliseconds, InTable: false);
        yield return new Metric("B.maxMs", $"B max latency ms @ {rate}/s", r => r.Paced?.MaxMs, Milliseconds, InTable: false);
        yield return new Metric("events.consumerDelivered", "events the sleeping consumer got", r => r.ConsumerEventsDelivered, Count, InTable: false);
        yield return new Metric("events.consumerDropped", "events the sleeping consumer missed", r => r.ConsumerEventsDropped, Count, InTable: false);
        yield return new Metric("events.consumerQueued", "events queued for the sleeping consumer at the stop", r => r.ConsumerEventsQueued, Count, InTable: false);
        yield return new Metric("A.mosquittoDropNotices", "mosquitto.log drop notices", r => r.DropNotices, Count, InTable: false);
        yield return new Metric("settle.brokerCpuSeconds", "broker CPU s during the settle pause", r => r.Settle?.BrokerSeconds, v => v.ToString("0.00", s_invariant), InTable: false);
    }

    private static string Count(double value) => value.ToString("#,0", s_invariant);

    private static string Microseconds(double value) => value.ToString("0.00", s_invariant);

    private static string Seconds(double value) => value.ToString("0.0", s_invariant);

    // Rounded down, so that a phase that lost even one message never shows as 100.
    private static string Percent(double value) => value >= 100 ? "100" : (Math.Floor(value * 100) / 100).ToString("0.00", s_invariant);

    public static string Milliseconds(double value) => value.ToString(value < 10 ? "0.000" : value < 100 ? "0.0" : "0", s_invariant);
}
