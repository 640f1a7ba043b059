namespace Bifro.Configuration;

/// <summary>The membership protocol's timings (section Bifro:Cluster:Membership), with Orleans' defaults.</summary>
public sealed class ClusterMembershipOptions
{
    /// <summary>How often each silo probes others, and how long a probe may take (5 seconds by default).</summary>
    public TimeSpan ProbeTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Missed probes in a row before a silo votes its target dead (3 by default).</summary>
    public int NumMissedProbesLimit { get; set; } = 3;

    /// <summary>Votes that declare a silo dead, at most half the active silos rounded up (2 by default).</summary>
    public int NumVotesForDeathDeclaration { get; set; } = 2;

    /// <summary>How many silos each silo probes (10 by default).</summary>
    public int NumProbedSilos { get; set; } = 10;

    /// <summary>Votes older than this no longer count (2 minutes by default).</summary>
    public TimeSpan DeathVoteExpirationTimeout { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>How often the table is read even without news (60 seconds by default).</summary>
    public TimeSpan TableRefreshTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>How often a silo writes its IAmAlive time (30 seconds by default).</summary>
    public TimeSpan IAmAliveTablePublishTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Silos whose IAmAlive is this many periods old do not count when votes are weighed (3 by default).</summary>
    public int NumMissedTableIAmAliveLimit { get; set; } = 3;

    /// <summary>How long joining may take before the silo gives up (5 minutes by default).</summary>
    public TimeSpan MaxJoinAttemptTime { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// How long a cluster client (edge-only node) may stay disconnected from every gateway before the
    /// cluster lets go of what it held: its MQTT sessions end abnormally (1 minute by default, Orleans'
    /// ClientDropTimeout).
    /// </summary>
    public TimeSpan ClientDropTimeout { get; set; } = TimeSpan.FromMinutes(1);
}
