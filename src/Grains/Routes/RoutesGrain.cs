using Bifro.Runtime;
using Microsoft.Extensions.Logging;

namespace Bifro.Grains.Routes;

/// <summary>
/// One route shard of a tenant. Holds every session's routes in memory, stores those of persistent
/// sessions, and tells subscribed edges about each change. Changes are per session and carry the
/// session's revision, so that replicas can apply them in any order: an older revision never replaces
/// a newer one, and a removal leaves a short-lived tombstone so that a late older upsert cannot revive it.
/// </summary>
internal sealed partial class RoutesGrain : Grain, IRoutesGrain
{
    private static readonly TimeSpan TombstoneLifetime = TimeSpan.FromMinutes(5);

    private readonly IPersistentCollection<SessionRoute> _stored;
    private readonly TimeProvider _time;
    private readonly ILogger<RoutesGrain> _logger;
    private readonly Dictionary<string, SessionRoute> _routes = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (long Revision, long AtTicks)> _tombstones = new(StringComparer.Ordinal);
    private readonly HashSet<IRouteChangeObserver> _observers = new();
    private readonly long _epoch = Random.Shared.NextInt64(1, long.MaxValue);
    private long _version;

    public RoutesGrain(
        [PersistentCollection("routes")] IPersistentCollection<SessionRoute> stored,
        TimeProvider time,
        ILogger<RoutesGrain> logger)
    {
        _stored = stored;
        _time = time;
        _logger = logger;
    }

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        foreach (var (key, route) in _stored.Items)
        {
            _routes[key] = route;
        }

        // Where a route shard lives moves with membership; this says where it came back, and with what.
        LogActivated(this.GetPrimaryKeyString(), _routes.Count);
        return Task.CompletedTask;
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        if (Session.SessionGrain.MovedOrStopping(reason))
        {
            var shard = this.GetPrimaryKeyString();
            foreach (var observer in _observers)
            {
                _ = observer.OnShardMovedAsync(shard);
            }
        }

        return Task.CompletedTask;
    }

    public async Task<long> UpsertAsync(SessionRoute route)
    {
        if (_routes.TryGetValue(route.SessionKey, out var current) && current.Revision >= route.Revision)
        {
            return _version;
        }

        if (_tombstones.TryGetValue(route.SessionKey, out var tombstone))
        {
            if (tombstone.Revision >= route.Revision)
            {
                return _version;
            }

            _tombstones.Remove(route.SessionKey);
        }

        _routes[route.SessionKey] = route;
        if (route.Persistent)
        {
            _stored.Set(route.SessionKey, route);
        }
        else
        {
            _stored.Remove(route.SessionKey);
        }

        await WriteAsync().ConfigureAwait(true);
        Notify(route.SessionKey, route.Revision, route);
        return _version;
    }

    public async Task<long> RemoveAsync(string sessionKey, long revision)
    {
        if (_routes.TryGetValue(sessionKey, out var current) && current.Revision > revision)
        {
            return _version;
        }

        _routes.Remove(sessionKey);
        _stored.Remove(sessionKey);
        _tombstones[sessionKey] = (revision, _time.GetUtcNow().UtcTicks);
        PruneTombstones();
        await WriteAsync().ConfigureAwait(true);
        Notify(sessionKey, revision, null);
        return _version;
    }

    public async Task<int> NodeLostAsync(string node)
    {
        // The lost node's replica listens no more.
        _observers.RemoveWhere(o => string.Equals(Runtime.Messaging.ObserverRegistry.NodeOf(o.GetGrainId()), node, StringComparison.Ordinal));
        List<SessionRoute>? lost = null;
        foreach (var route in _routes.Values)
        {
            if (!route.Persistent && string.Equals(route.Node, node, StringComparison.Ordinal))
            {
                (lost ??= new List<SessionRoute>()).Add(route);
            }
        }

        if (lost is null)
        {
            return 0;
        }

        var now = _time.GetUtcNow().UtcTicks;
        foreach (var route in lost)
        {
            _routes.Remove(route.SessionKey);
            _tombstones[route.SessionKey] = (route.Revision, now);
            Notify(route.SessionKey, route.Revision, null);
        }

        PruneTombstones();
        await WriteAsync().ConfigureAwait(true);
        LogNodeLost(this.GetPrimaryKeyString(), lost.Count, node);
        return lost.Count;
    }

    public Task<RouteSnapshot> GetSnapshotAsync() => Task.FromResult(Snapshot());

    public Task<RouteSnapshot> SubscribeAsync(IRouteChangeObserver observer)
    {
        _observers.Add(observer);

        // Edges read this shard on every publish; it stays while any edge listens.
        DelayDeactivation(TimeSpan.MaxValue);
        return Task.FromResult(Snapshot());
    }

    public Task UnsubscribeAsync(IRouteChangeObserver observer)
    {
        _observers.Remove(observer);
        if (_observers.Count == 0)
        {
            DelayDeactivation(TimeSpan.Zero);
        }

        return Task.CompletedTask;
    }

    private RouteSnapshot Snapshot() => new()
    {
        Shard = this.GetPrimaryKeyString(),
        ShardEpoch = _epoch,
        Version = _version,
        Routes = _routes.Values.ToArray(),
    };

    private async Task WriteAsync()
    {
        if (_stored.HasPendingChanges)
        {
            await _stored.WriteAsync().ConfigureAwait(true);
        }
    }

    private void Notify(string sessionKey, long revision, SessionRoute? route)
    {
        _version++;
        if (_observers.Count == 0)
        {
            return;
        }

        var change = new RouteChange
        {
            Shard = this.GetPrimaryKeyString(),
            ShardEpoch = _epoch,
            Version = _version,
            SessionKey = sessionKey,
            Revision = revision,
            Route = route,
        };
        foreach (var observer in _observers)
        {
            _ = observer.OnRouteChangedAsync(change);
        }
    }

    private void PruneTombstones()
    {
        if (_tombstones.Count < 1024)
        {
            return;
        }

        var cutoff = _time.GetUtcNow().UtcTicks - TombstoneLifetime.Ticks;
        foreach (var (key, tombstone) in _tombstones)
        {
            if (tombstone.AtTicks < cutoff)
            {
                _tombstones.Remove(key);
            }
        }
    }

    [LoggerMessage(1, LogLevel.Information, "Route shard {Shard} removed {Count} transient routes of lost node {Node}")]
    private partial void LogNodeLost(string shard, int count, string node);

    [LoggerMessage(2, LogLevel.Debug, "Route shard {Shard} activated with {Count} stored routes")]
    private partial void LogActivated(string shard, int count);
}
