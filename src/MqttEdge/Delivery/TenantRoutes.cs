using Bifro.Grains;
using Bifro.MqttEdge.Codec;
using Bifro.MqttEdge.Delivery.Matching;

namespace Bifro.MqttEdge.Delivery;

/// <summary>
/// An edge's replica of one tenant's routes: a topic tree over the sessions' subscriptions, updated
/// from each route shard's change feed. Reads (matching) take no lock; changes are applied one at a
/// time, newest revision wins, and removals leave a tombstone so a late older change cannot revive them.
/// </summary>
internal sealed class TenantRoutes
{
    private readonly Dictionary<string, RouteSubscriber> _sessions = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _tombstones = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (long Epoch, long Version)> _shards = new(StringComparer.Ordinal);
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public TenantRoutes(string tenant) => Tenant = tenant;

    public string Tenant { get; }

    public TopicTree<RouteSubscriber> Tree { get; } = new();

    public Task Ready => _ready.Task;

    /// <summary>The load in progress, guarded by locking this replica.</summary>
    public Task? Loading { get; set; }

    public int SessionCount
    {
        get
        {
            lock (_sessions)
            {
                return _sessions.Count;
            }
        }
    }

    public void MarkReady() => _ready.TrySetResult();

    public void MarkFailed(Exception exception) => _ready.TrySetException(exception);

    public RouteSubscriber? Find(string sessionKey)
    {
        lock (_sessions)
        {
            return _sessions.GetValueOrDefault(sessionKey);
        }
    }

    /// <summary>Replaces one shard's contents with a snapshot.</summary>
    public void ApplySnapshot(RouteSnapshot snapshot, Func<string, int> shardOf, int shardIndex)
    {
        lock (_sessions)
        {
            var newActivation = _shards.TryGetValue(snapshot.Shard, out var known) && known.Epoch != snapshot.ShardEpoch;
            _shards[snapshot.Shard] = (snapshot.ShardEpoch, snapshot.Version);
            var present = new HashSet<string>(StringComparer.Ordinal);
            foreach (var route in snapshot.Routes)
            {
                present.Add(route.SessionKey);
                ApplyLocked(route.SessionKey, route.Revision, route, force: newActivation);
            }

            if (!newActivation)
            {
                // Within one shard activation, revisions order everything; what the snapshot lacks
                // may be newer than it (applied from a SUBSCRIBE), so nothing is removed.
                return;
            }

            // A new shard activation knows only stored routes: sessions it lacks are gone.
            List<string>? gone = null;
            foreach (var key in _sessions.Keys)
            {
                if (shardOf(key) == shardIndex && !present.Contains(key))
                {
                    (gone ??= new List<string>()).Add(key);
                }
            }

            foreach (var key in gone ?? [])
            {
                RemoveLocked(key);
            }
        }
    }

    /// <summary>Applies a change from a shard's feed; false when the replica must reload that shard.</summary>
    public bool ApplyChange(RouteChange change)
    {
        lock (_sessions)
        {
            var inSync = _shards.TryGetValue(change.Shard, out var known)
                && known.Epoch == change.ShardEpoch
                && known.Version + 1 >= change.Version;
            if (inSync)
            {
                _shards[change.Shard] = (known.Epoch, Math.Max(known.Version, change.Version));
            }

            ApplyLocked(change.SessionKey, change.Revision, change.Route, force: false);
            return inSync;
        }
    }

    /// <summary>Applies a session's routes as returned by its own SUBSCRIBE, before SUBACK, so nothing published after SUBACK is missed.</summary>
    public void Apply(string sessionKey, long revision, SessionRoute? route)
    {
        lock (_sessions)
        {
            ApplyLocked(sessionKey, revision, route, force: false);
        }
    }

    private void ApplyLocked(string sessionKey, long revision, SessionRoute? route, bool force)
    {
        _sessions.TryGetValue(sessionKey, out var subscriber);
        if (!force)
        {
            if (subscriber is not null && subscriber.Revision >= revision)
            {
                return;
            }

            if (_tombstones.TryGetValue(sessionKey, out var removedAt) && removedAt >= revision)
            {
                return;
            }
        }

        if (route is null || route.Subscriptions.Length == 0)
        {
            RemoveLocked(sessionKey);
            _tombstones[sessionKey] = revision;
            return;
        }

        _tombstones.Remove(sessionKey);
        if (subscriber is null)
        {
            subscriber = new RouteSubscriber(sessionKey);
            _sessions[sessionKey] = subscriber;
        }

        // Subscriptions that the new revision dropped leave the tree; the rest are (re)added.
        foreach (var old in subscriber.Subscriptions)
        {
            if (Array.FindIndex(route.Subscriptions, s => s.SameFilter(old)) < 0)
            {
                Tree.Remove(subscriber, old.Filter, old.ShareGroup);
            }
        }

        subscriber.Revision = revision;
        subscriber.Persistent = route.Persistent;
        subscriber.Node = route.Node;
        subscriber.Epoch = route.Epoch;
        subscriber.Subscriptions = route.Subscriptions;
        foreach (var s in route.Subscriptions)
        {
            Tree.Add(subscriber, s.Filter, new RouteOptions((QualityOfService)s.QoS, s.NoLocal, s.RetainAsPublished, s.SubscriptionId), s.ShareGroup);
        }

        if (_tombstones.Count > 4096)
        {
            _tombstones.Clear();
        }
    }

    private void RemoveLocked(string sessionKey)
    {
        if (_sessions.Remove(sessionKey, out var subscriber))
        {
            Tree.RemoveAll(subscriber);
        }
    }
}
