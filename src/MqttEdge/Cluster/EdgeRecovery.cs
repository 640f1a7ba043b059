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
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        _membership.ViewChanged -= OnViewChanged;
        return Task.CompletedTask;
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
                tasks.Add(ReattachAsync(connection, session, inbox));
            }
        }

        await Task.WhenAll(tasks).ConfigureAwait(false);
        LogPass(view.Version, tasks.Count, shards);
    }

    private async Task ReattachAsync(MqttConnection connection, bool session, bool inbox)
    {
        try
        {
            await connection.ReattachAsync(session, inbox).ConfigureAwait(false);
        }
        catch (SiloUnavailableException exception)
        {
            // The silo that owns the grain now cannot be reached: it has died since this view (the second pass
            // of an older view change often meets a kill -9), or is about to be declared dead. That declaration
            // changes the view, and the pass for it reattaches to the grain's next owner; closing the connection
            // now would only make its client wait for the same thing.
            LogReattachDeferred(exception.Message, connection.SessionKey);
        }
        catch (Exception exception)
        {
            // The session cannot be confirmed: close, and the client's reconnect attaches it afresh.
            LogReattachFailed(exception, connection.SessionKey);
            connection.Kick(0x8B, "The cluster changed and the session could not be kept.");
        }
    }

    private static bool Moved(MembershipView previous, MembershipView view, GrainId grain)
    {
        var before = previous.OwnerOf(grain);
        return before is null || !before.Equals(view.OwnerOf(grain));
    }

    [LoggerMessage(1, LogLevel.Information, "Membership v{Version}: reattached {Connections} connections, reloaded {Shards} route shards")]
    private partial void LogPass(long version, int connections, int shards);

    [LoggerMessage(2, LogLevel.Warning, "Reattaching session {SessionKey} failed; closing its connection")]
    private partial void LogReattachFailed(Exception exception, string? sessionKey);

    [LoggerMessage(4, LogLevel.Information, "Reattaching session {SessionKey} waits for the next membership change: {Reason}")]
    private partial void LogReattachDeferred(string reason, string? sessionKey);

    [LoggerMessage(3, LogLevel.Warning, "Recovering connections after a membership change failed")]
    private partial void LogRecoveryFailed(Exception exception);
}
