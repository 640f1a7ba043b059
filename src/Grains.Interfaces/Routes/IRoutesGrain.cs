using Bifro.Runtime;

namespace Bifro.Grains;

/// <summary>
/// The authoritative routes of one shard of a tenant, keyed "{tenant}/{shard}"; a session's routes live
/// in shard hash(session key) mod shard count. Every edge keeps a read replica of its tenants' routes:
/// it loads a snapshot and then receives each change, so that a PUBLISH is matched locally without a
/// grain call. Routes of persistent sessions are stored; those of transient sessions live while their
/// connection does.
/// </summary>
public interface IRoutesGrain : IGrainWithStringKey
{
    /// <summary>Replaces a session's routes (no-op if <paramref name="route"/>'s revision is older than the stored one).</summary>
    Task<long> UpsertAsync(SessionRoute route);

    /// <summary>Removes a session's routes if they are not newer than <paramref name="revision"/>.</summary>
    Task<long> RemoveAsync(string sessionKey, long revision);

    /// <summary>
    /// Removes the transient routes of connections on <paramref name="node"/>, which is gone, for sessions
    /// whose own activation went with it (the others end their routes themselves). Returns how many.
    /// </summary>
    Task<int> NodeLostAsync(string node);

    [ReadOnly]
    Task<RouteSnapshot> GetSnapshotAsync();

    /// <summary>Sends every later change to <paramref name="observer"/> until it unsubscribes.</summary>
    Task<RouteSnapshot> SubscribeAsync(IRouteChangeObserver observer);

    Task UnsubscribeAsync(IRouteChangeObserver observer);
}

/// <summary>Implemented by an edge's route replica.</summary>
public interface IRouteChangeObserver : IGrainObserver
{
    [OneWay]
    Task OnRouteChangedAsync(RouteChange change);

    /// <summary>
    /// The shard's activation is going away (moved or stopping): its next activation knows only stored
    /// routes, so replicas reload it and their transient sessions in it publish their routes again.
    /// </summary>
    [OneWay]
    Task OnShardMovedAsync(string shard);
}

/// <summary>All subscriptions of one session and where its messages go.</summary>
[GenerateSerializer]
public sealed class SessionRoute
{
    [Id(0)]
    public string SessionKey { get; set; } = string.Empty;

    /// <summary>Increases with every change of the session's routes; replicas ignore older revisions.</summary>
    [Id(1)]
    public long Revision { get; set; }

    /// <summary>Persistent sessions receive through their inbox; transient ones on their connection's node.</summary>
    [Id(2)]
    public bool Persistent { get; set; }

    /// <summary>For a transient session: the node holding its connection.</summary>
    [Id(3)]
    public string? Node { get; set; }

    /// <summary>For a transient session: the connection's epoch, so a node delivers only to that connection.</summary>
    [Id(4)]
    public long Epoch { get; set; }

    [Id(5)]
    public Subscription[] Subscriptions { get; set; } = [];
}

/// <summary>One change of a shard: a session's new routes, or their removal when <see cref="Route"/> is null.</summary>
[GenerateSerializer]
public sealed class RouteChange
{
    [Id(0)]
    public string Shard { get; set; } = string.Empty;

    /// <summary>The shard activation's epoch: a new one means the replica must reload.</summary>
    [Id(1)]
    public long ShardEpoch { get; set; }

    /// <summary>The shard's version after this change; a gap means a change was missed.</summary>
    [Id(2)]
    public long Version { get; set; }

    [Id(3)]
    public string SessionKey { get; set; } = string.Empty;

    [Id(4)]
    public long Revision { get; set; }

    [Id(5)]
    public SessionRoute? Route { get; set; }
}

[GenerateSerializer]
public sealed class RouteSnapshot
{
    [Id(0)]
    public string Shard { get; set; } = string.Empty;

    [Id(1)]
    public long ShardEpoch { get; set; }

    [Id(2)]
    public long Version { get; set; }

    [Id(3)]
    public SessionRoute[] Routes { get; set; } = [];
}
