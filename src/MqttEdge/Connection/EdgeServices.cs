using Bifro.Configuration;
using Bifro.Grains;
using Bifro.MqttEdge.Configuration;
using Bifro.MqttEdge.Delivery;
using Bifro.MqttEdge.Limits;
using Bifro.Runtime;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Bifro.MqttEdge.Connection;

/// <summary>What every connection of this edge shares, held once so that a connection carries one reference.</summary>
internal sealed class EdgeServices
{
    private IConnectionObserver? _edgeObserver;

    public EdgeServices(
        IOptions<MqttOptions> options,
        IOptions<ShardingOptions> sharding,
        IGrainFactory grainFactory,
        ConnectionRegistry connections,
        RouteReplica routes,
        PublishRouter router,
        EdgeNode node,
        TimeProvider time,
        AuthProviderGuard auth,
        IOptions<AuthOptions> authOptions,
        ISettingProvider settings,
        TenantConnectRate connectRate,
        TenantConnectionLeases connectionLeases,
        IEventReporter events,
        IOptions<EventOptions> eventOptions,
        DenyListReplica denyList,
        Diagnostics.EdgeMetrics metrics,
        ILoggerFactory loggerFactory)
    {
        Metrics = metrics;
        Settings = settings;
        ConnectRate = connectRate;
        ConnectionLeases = connectionLeases;
        Events = events;
        PublishSampling = events.IsEnabled ? eventOptions.Value.PublishSampling : 0;
        DenyList = denyList;
        Auth = auth;
        AuthOptions = authOptions.Value;
        Options = options.Value;
        Sharding = sharding.Value;
        GrainFactory = grainFactory;
        Connections = connections;
        Routes = routes;
        Router = router;
        Node = node;
        Time = time;
        Logger = loggerFactory.CreateLogger<MqttConnection>();
    }

    public MqttOptions Options { get; }

    /// <summary>The edge's instruments (meter "Bifro.Mqtt").</summary>
    public Diagnostics.EdgeMetrics Metrics { get; }

    /// <summary>The auth provider, behind its timeout and fail-closed guard (CONNECT and AUTH; permission checks go through the session grain).</summary>
    public AuthProviderGuard Auth { get; }

    public AuthOptions AuthOptions { get; }

    /// <summary>The tenants' settings and limits, read at CONNECT.</summary>
    public ISettingProvider Settings { get; }

    /// <summary>ConnectPerSecond, per tenant on this node.</summary>
    public TenantConnectRate ConnectRate { get; }

    /// <summary>MaxConnections: this node's slots in the tenants' usage grains.</summary>
    public TenantConnectionLeases ConnectionLeases { get; }

    public ShardingOptions Sharding { get; }

    /// <summary>Where connections report events (a do-nothing reporter when events are off).</summary>
    public IEventReporter Events { get; }

    /// <summary>One PublishReceived event per this many PUBLISH packets (0: none).</summary>
    public int PublishSampling { get; }

    /// <summary>The deny lists, as this node's replica holds them: CONNECT consults them before the auth provider.</summary>
    public DenyListReplica DenyList { get; }

    public IGrainFactory GrainFactory { get; }

    public ConnectionRegistry Connections { get; }

    public RouteReplica Routes { get; }

    public PublishRouter Router { get; }

    public EdgeNode Node { get; }

    public TimeProvider Time { get; }

    public ILogger Logger { get; }

    /// <summary>This edge as an observer, the same reference for every session attached here.</summary>
    public IConnectionObserver EdgeObserver => _edgeObserver ??= GrainFactory.CreateObjectReference<IConnectionObserver>(new EdgeObserver(Connections));

    /// <summary>Set when the host begins to stop: new connections are refused.</summary>
    public bool Stopping { get; set; }
}
