using Bifro.Runtime;

namespace Bifro.Grains;

/// <summary>
/// The consumer of one event stream (a tenant's, or the cluster's) that hands its events to this silo's
/// collectors; subscribed implicitly to every stream of namespace "events".
/// </summary>
public interface IEventCollectorGrain : IGrainWithStringKey
{
    /// <summary>Events this activation received.</summary>
    [ReadOnly]
    Task<long> GetReceivedAsync();
}

/// <summary>
/// The risk detector of one event stream: counts bad behaviour per rule and key, and bans through the
/// deny list past a rule's threshold; subscribed implicitly to every stream of namespace "events".
/// </summary>
public interface IRiskDetectorGrain : IGrainWithStringKey
{
    /// <summary>What it counts now and what it banned, for administration and tests.</summary>
    [ReadOnly]
    Task<RiskDetectorStatus> GetStatusAsync();
}

/// <summary>A risk detector's state.</summary>
[GenerateSerializer]
public sealed class RiskDetectorStatus
{
    /// <summary>Events it examined.</summary>
    [Id(0)]
    public long Received { get; init; }

    /// <summary>Keys being counted now, over all rules.</summary>
    [Id(1)]
    public int TrackedKeys { get; init; }

    /// <summary>Bans it made.</summary>
    [Id(2)]
    public long Bans { get; init; }

    /// <summary>Bans it could not make (the deny list grain failed).</summary>
    [Id(3)]
    public long FailedBans { get; init; }
}
