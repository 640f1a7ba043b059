namespace Bifro.Bench.Scenarios;

/// <summary>Broker memory for idle connections, read from /proc/&lt;pid&gt;/status.</summary>
internal sealed record IdleMemoryResult
{
    public int Connections { get; init; }

    /// <summary>VmRSS before connecting; null when the broker pid is unknown.</summary>
    public long? RssBeforeKiB { get; init; }

    /// <summary>VmRSS after the connections sat idle.</summary>
    public long? RssAfterKiB { get; init; }

    public double? KiBPerConnection => RssBeforeKiB is { } before && RssAfterKiB is { } after && Connections > 0
        ? (double)(after - before) / Connections
        : null;

    /// <summary>Time to open all connections (TCP connect, CONNECT, CONNACK).</summary>
    public double ConnectSeconds { get; init; }

    public double ConnectsPerSecond => ConnectSeconds > 0 ? Connections / ConnectSeconds : 0;

    /// <summary>Connections the broker closed while they sat idle (should be 0).</summary>
    public int ClosedByBroker { get; init; }
}
