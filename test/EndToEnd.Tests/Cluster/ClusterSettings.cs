namespace Bifro.EndToEnd.Tests.Cluster;

/// <summary>What a test cluster is: its ids, its database, and the arguments every node gets.</summary>
public sealed record ClusterSettings
{
    /// <summary>Bifro:Cluster:ClusterId ("prod" by default).</summary>
    public string ClusterId { get; init; } = "prod";

    /// <summary>Bifro:Cluster:ServiceId.</summary>
    public string ServiceId { get; init; } = "bifro-e2e";

    /// <summary>The database; null makes a fresh one. Two clusters may share one (isolation tests).</summary>
    public string? ConnectionString { get; init; }

    /// <summary>More arguments for every node, such as the transport's TLS settings.</summary>
    public IReadOnlyList<string> Arguments { get; init; } = [];

    /// <summary>
    /// Membership timings short enough for tests: a probe a second, so that a killed silo is declared dead
    /// about three seconds after it stops answering, and edge-only nodes dropped five seconds after they go.
    /// </summary>
    public static IReadOnlyList<string> ShortMembershipTimeouts { get; } =
    [
        "--Bifro:Cluster:Membership:ProbeTimeout=00:00:01",
        "--Bifro:Cluster:Membership:ClientDropTimeout=00:00:05",
        "--Bifro:Cluster:Membership:TableRefreshTimeout=00:00:05",
    ];
}
