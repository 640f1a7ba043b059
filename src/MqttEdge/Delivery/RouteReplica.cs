using System.Collections.Concurrent;
using Bifro.Grains;
using Bifro.Runtime;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Bifro.MqttEdge.Delivery;

/// <summary>
/// The edge's read replicas of route tables, one per tenant, loaded when a tenant's first client
/// connects (or a will is published for it): the edge subscribes to every route shard of the tenant
/// and applies the snapshots, then each change as it comes.
/// </summary>
internal sealed partial class RouteReplica : IRouteChangeObserver
{
    private static readonly TimeSpan MovedShardGrace = TimeSpan.FromMilliseconds(250);

    private readonly ConcurrentDictionary<string, TenantRoutes> _tenants = new(StringComparer.Ordinal);
    private readonly IGrainFactory _grainFactory;
    private readonly ShardingOptions _sharding;
    private readonly ILogger<RouteReplica> _logger;
    private IRouteChangeObserver? _self;

    public RouteReplica(IGrainFactory grainFactory, IOptions<ShardingOptions> sharding, ILogger<RouteReplica> logger)
    {
        _grainFactory = grainFactory;
        _sharding = sharding.Value;
        _logger = logger;
    }

    public int TenantCount => _tenants.Count;

    /// <summary>The tenant's replica, once loaded.</summary>
    public Task<TenantRoutes> GetAsync(string tenant)
    {
        if (_tenants.TryGetValue(tenant, out var existing) && existing.Ready.IsCompletedSuccessfully)
        {
            return Task.FromResult(existing);
        }

        return LoadAsync(tenant);
    }

    public TenantRoutes? TryGetLoaded(string tenant) =>
        _tenants.TryGetValue(tenant, out var routes) && routes.Ready.IsCompletedSuccessfully ? routes : null;

    public Task OnRouteChangedAsync(RouteChange change)
    {
        var tenant = SessionKey.TenantOf(change.Shard);
        if (_tenants.TryGetValue(tenant, out var routes) && !routes.ApplyChange(change))
        {
            LogResync(change.Shard);
            _ = ReloadShardAsync(routes, change.Shard);
        }

        return Task.CompletedTask;
    }

    /// <summary>
    /// Raised with (tenant, shard index) once a shard whose activation moved has been reloaded from its
    /// next activation, which knows only stored routes: transient sessions of this edge in that shard
    /// must publish their routes again.
    /// </summary>
    public event Action<string, int>? ShardMoved;

    public Task OnShardMovedAsync(string shard)
    {
        var tenant = SessionKey.TenantOf(shard);
        if (_tenants.TryGetValue(tenant, out var routes) && routes.Ready.IsCompletedSuccessfully)
        {
            _ = ReloadMovedShardAsync(routes, shard);
        }

        return Task.CompletedTask;
    }

    /// <summary>Reloads, and listens again to, every loaded shard for which <paramref name="moved"/> says yes. Returns how many.</summary>
    public int ReloadMovedShards(Func<string, bool> moved)
    {
        var count = 0;
        foreach (var routes in _tenants.Values)
        {
            if (!routes.Ready.IsCompletedSuccessfully)
            {
                continue;
            }

            for (var shard = 0; shard < _sharding.RouteShards; shard++)
            {
                var key = SessionKey.Shard(routes.Tenant, shard);
                if (moved(key))
                {
                    _ = ReloadShardAsync(routes, key);
                    count++;
                }
            }
        }

        return count;
    }

    /// <summary>Stops listening (edge shutdown).</summary>
    public async Task StopAsync()
    {
        if (_self is null)
        {
            return;
        }

        foreach (var tenant in _tenants.Keys)
        {
            for (var shard = 0; shard < _sharding.RouteShards; shard++)
            {
                try
                {
                    await Shard(tenant, shard).UnsubscribeAsync(_self).ConfigureAwait(false);
                }
                catch (Exception exception) when (exception is not OperationCanceledException)
                {
                    // The silo may already be stopping; the shard forgets observers with it.
                }
            }
        }

        _grainFactory.DeleteObjectReference<IRouteChangeObserver>(this);
    }

    private async Task<TenantRoutes> LoadAsync(string tenant)
    {
        TenantRoutes routes;
        Task loading;
        lock (_tenants)
        {
            routes = _tenants.GetOrAdd(tenant, static t => new TenantRoutes(t));
            if (routes.Ready.IsFaulted)
            {
                // A failed load is retried with a fresh replica.
                routes = new TenantRoutes(tenant);
                _tenants[tenant] = routes;
            }

            loading = routes.Loading ??= LoadShardsAsync(routes);
        }

        await loading.ConfigureAwait(false);
        return routes;
    }

    private async Task LoadShardsAsync(TenantRoutes routes)
    {
        try
        {
            _self ??= _grainFactory.CreateObjectReference<IRouteChangeObserver>(this);
            var tasks = new Task<RouteSnapshot>[_sharding.RouteShards];
            for (var shard = 0; shard < tasks.Length; shard++)
            {
                tasks[shard] = Shard(routes.Tenant, shard).SubscribeAsync(_self);
            }

            var snapshots = await Task.WhenAll(tasks).ConfigureAwait(false);
            for (var shard = 0; shard < snapshots.Length; shard++)
            {
                routes.ApplySnapshot(snapshots[shard], _sharding.RouteShardOf, shard);
            }

            routes.MarkReady();
            LogLoaded(routes.Tenant, routes.SessionCount);
        }
        catch (Exception exception)
        {
            routes.MarkFailed(exception);
            throw;
        }
    }

    private async Task ReloadMovedShardAsync(TenantRoutes routes, string shardKey)
    {
        // Give the old activation time to finish going away, so that the reload reaches the next one.
        await Task.Delay(MovedShardGrace).ConfigureAwait(false);
        if (await ReloadShardAsync(routes, shardKey).ConfigureAwait(false))
        {
            ShardMoved?.Invoke(routes.Tenant, ShardIndexOf(shardKey));
        }
    }

    private async Task<bool> ReloadShardAsync(TenantRoutes routes, string shardKey)
    {
        var shard = ShardIndexOf(shardKey);
        try
        {
            var snapshot = await Shard(routes.Tenant, shard).SubscribeAsync(_self!).ConfigureAwait(false);
            routes.ApplySnapshot(snapshot, _sharding.RouteShardOf, shard);
            return true;
        }
        catch (Exception exception)
        {
            LogResyncFailed(exception, shardKey);
            return false;
        }
    }

    private static int ShardIndexOf(string shardKey) =>
        int.Parse(shardKey.AsSpan(shardKey.LastIndexOf('/') + 1), System.Globalization.CultureInfo.InvariantCulture);

    private IRoutesGrain Shard(string tenant, int shard) => _grainFactory.GetGrain<IRoutesGrain>(SessionKey.Shard(tenant, shard));

    [LoggerMessage(1, LogLevel.Debug, "Routes of tenant {Tenant} loaded: {Sessions} sessions")]
    private partial void LogLoaded(string tenant, int sessions);

    [LoggerMessage(2, LogLevel.Information, "Route shard {Shard} changed activation or skipped a version; reloading it")]
    private partial void LogResync(string shard);

    [LoggerMessage(3, LogLevel.Warning, "Route shard {Shard} could not be reloaded")]
    private partial void LogResyncFailed(Exception exception, string shard);
}
