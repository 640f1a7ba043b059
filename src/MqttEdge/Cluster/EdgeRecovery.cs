using Bifro.Grains;
using Bifro.MqttEdge.Connection;
using Bifro.MqttEdge.Delivery;
using Bifro.Runtime;
using Bifro.Runtime.Activation;
using Bifro.Runtime.Membership;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Bifro.MqttEdge.Cluster;

/// <summary>
/// Keeps this edge's connections whole when membership changes. A grain whose owner changed lost its
/// activation, and with it what it held in memory: a transient session its owner, a route shard its
/// transient routes and its listeners, an inbox its consumer. For every local connection whose session,
/// session route shard or inbox moved, the connection reattaches; the route replica reloads moved
/// shards. Everything here is idempotent, so it runs twice: at once, and again once every silo has
/// surely seen the view (a call routed by a silo with an older view can reach the old activation).
/// That covers silos that crash; an activation that goes away in an orderly way (moved by a join, or its
/// silo stopping) also tells its connections and replicas itself, which covers views this edge never
/// saw change (an activation made by another silo's stale view).
/// </summary>
internal sealed partial class EdgeRecovery : IHostedService
{
    private static readonly TimeSpan FirstPass = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan SecondPass = TimeSpan.FromSeconds(5);

    private readonly IMembershipViewProvider _membership;
    private readonly EdgeServices _edge;
    private readonly ILogger<EdgeRecovery> _logger;
    private readonly object _lock = new();
    private MembershipView? _last;
    private GrainType _sessionType;
    private GrainType _inboxType;
    private GrainType _routesType;

    public EdgeRecovery(IMembershipViewProvider membership, EdgeServices edge, ILogger<EdgeRecovery> logger)
    {
        _membership = membership;
        _edge = edge;
        _logger = logger;
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        ApplicationParts.EnsureLoaded();
        _sessionType = GrainClassRegistry.ResolveGrainType(typeof(ISessionGrain), null);
        _inboxType = GrainClassRegistry.ResolveGrainType(typeof(IInboxGrain), null);
        _routesType = GrainClassRegistry.ResolveGrainType(typeof(IRoutesGrain), null);
        _last = _membership.Current;
        _membership.ViewChanged += OnViewChanged;
        _edge.Routes.ShardMoved += OnShardMoved;
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        _membership.ViewChanged -= OnViewChanged;
        _edge.Routes.ShardMoved -= OnShardMoved;
        return Task.CompletedTask;
    }

    /// <summary>A route shard moved and its next activation knows only stored routes: this edge's transient sessions in it republish theirs.</summary>
    private void OnShardMoved(string tenant, int shard)
    {
        var count = 0;
        foreach (var connection in _edge.Connections.All)
        {
            if (connection.SessionKey is { } key && connection.Epoch != 0 && connection.HasTransientRoutes
                && string.Equals(SessionKey.TenantOf(key), tenant, StringComparison.Ordinal) && _edge.Sharding.RouteShardOf(key) == shard)
            {
                _ = connection.ReattachOrCloseAsync(session: true, inbox: false, TimeSpan.Zero);
                count++;
            }
        }

        LogShardMoved(SessionKey.Shard(tenant, shard), count);
    }

    private void OnViewChanged(MembershipView view)
    {
        MembershipView previous;
        lock (_lock)
        {
            previous = _last ?? view;
            _last = view;
        }

        if (previous.Active.SequenceEqual(view.Active))
        {
            // Statuses changed (Joining, ShuttingDown) but no grain moved.
            return;
        }

        _ = RecoverAsync(previous, view);
    }

    private async Task RecoverAsync(MembershipView previous, MembershipView view)
    {
        try
        {
            await Task.Delay(FirstPass, _edge.Time).ConfigureAwait(false);
            await PassAsync(previous, view).ConfigureAwait(false);
            await Task.Delay(SecondPass, _edge.Time).ConfigureAwait(false);
            if (ReferenceEquals(Volatile.Read(ref _last), view))
            {
                await PassAsync(previous, view).ConfigureAwait(false);
            }
        }
        catch (Exception exception)
        {
            LogRecoveryFailed(exception);
        }
    }

    private async Task PassAsync(MembershipView previous, MembershipView view)
    {
        var shards = _edge.Routes.ReloadMovedShards(shard => Moved(previous, view, new GrainId(_routesType, shard)));
        var tasks = new List<Task>();
        foreach (var connection in _edge.Connections.All)
        {
            if (connection.SessionKey is not { } key || connection.Epoch == 0)
            {
                continue;
            }

            var shard = SessionKey.Shard(SessionKey.TenantOf(key), _edge.Sharding.RouteShardOf(key));
            var session = Moved(previous, view, new GrainId(_sessionType, key)) || Moved(previous, view, new GrainId(_routesType, shard));
            var inbox = Moved(previous, view, new GrainId(_inboxType, key));
            if (session || inbox)
            {
                tasks.Add(connection.ReattachOrCloseAsync(session, inbox, TimeSpan.Zero));
            }
        }

        await Task.WhenAll(tasks).ConfigureAwait(false);
        if (tasks.Count > 0 || shards > 0)
        {
            LogPass(view.Version, tasks.Count, shards);
        }
    }

    private static bool Moved(MembershipView previous, MembershipView view, GrainId grain)
    {
        var before = previous.OwnerOf(grain);
        return before is null || !before.Equals(view.OwnerOf(grain));
    }

    [LoggerMessage(1, LogLevel.Information, "Membership v{Version}: reattached {Connections} connections, reloaded {Shards} route shards")]
    private partial void LogPass(long version, int connections, int shards);

    [LoggerMessage(2, LogLevel.Information, "Route shard {Shard} moved: {Connections} local transient sessions republish their routes")]
    private partial void LogShardMoved(string shard, int connections);

    [LoggerMessage(3, LogLevel.Warning, "Recovering connections after a membership change failed")]
    private partial void LogRecoveryFailed(Exception exception);
}
