using Bifro.Runtime;

namespace Bifro.Grains;

/// <summary>Keys of deny lists: a tenant id, or the cluster-wide list.</summary>
public static class DenyListScopes
{
    /// <summary>
    /// The deny list that applies to every tenant. CONNECT checks it before the auth provider is called
    /// (no tenant is known then); the risk detector bans addresses and prefixes here, and whatever comes
    /// from events that have no tenant (connections refused before authentication).
    /// </summary>
    public const string Cluster = EventStreams.ClusterKey;
}

/// <summary>
/// One deny list, keyed by tenant (or <see cref="DenyListScopes.Cluster"/>): bans by client id, user,
/// address or CIDR prefix, each with an optional time to live, persisted. Every edge keeps a replica
/// (a snapshot, then each change), so CONNECT checks it without a grain call, and kicks the connections
/// a new ban matches (5.0 DISCONNECT 0x98).
/// </summary>
public interface IDenyListGrain : IGrainWithStringKey
{
    /// <summary>Adds a ban; one with the same kind and value is replaced (it keeps its id). Throws <see cref="ArgumentException"/> for an invalid value.</summary>
    Task<BanEntry> AddAsync(BanRequest request);

    /// <summary>Removes a ban by id; false when there was none.</summary>
    Task<bool> RemoveAsync(string banId);

    /// <summary>The bans in force (expired ones are left out).</summary>
    [ReadOnly]
    Task<BanEntry[]> ListAsync();

    /// <summary>Sends every later change to <paramref name="observer"/> until it unsubscribes; returns the bans now.</summary>
    Task<DenyListSnapshot> SubscribeAsync(IDenyListObserver observer);

    Task UnsubscribeAsync(IDenyListObserver observer);
}

/// <summary>Implemented by an edge's deny-list replica.</summary>
public interface IDenyListObserver : IGrainObserver
{
    [OneWay]
    Task OnDenyListChangedAsync(DenyListChange change);
}

/// <summary>A deny list's bans at one version.</summary>
[GenerateSerializer]
public sealed class DenyListSnapshot
{
    [Id(0)]
    public string Scope { get; init; } = string.Empty;

    /// <summary>The activation's epoch: a change with another epoch means the replica must reload.</summary>
    [Id(1)]
    public long Epoch { get; init; }

    [Id(2)]
    public long Version { get; init; }

    [Id(3)]
    public BanEntry[] Bans { get; init; } = [];
}

/// <summary>One change of a deny list: a ban added (or replaced), or removed.</summary>
[GenerateSerializer]
public sealed class DenyListChange
{
    [Id(0)]
    public string Scope { get; init; } = string.Empty;

    [Id(1)]
    public long Epoch { get; init; }

    /// <summary>The list's version after this change; a gap means a change was missed.</summary>
    [Id(2)]
    public long Version { get; init; }

    [Id(3)]
    public BanEntry? Added { get; init; }

    [Id(4)]
    public string? RemovedId { get; init; }
}
