using Bifro.MqttEdge.Configuration;
using Bifro.MqttEdge.Delivery;
using Bifro.Runtime.Messaging;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Bifro.MqttEdge.Connection;

/// <summary>
/// Runs the heartbeat that enforces connect timeouts and keep alives for every connection, and on host
/// shutdown sends every 5.0 client DISCONNECT 0x8B and waits for connections to detach their sessions.
/// </summary>
internal sealed partial class EdgeLifecycle : IHostedService, IDisposable
{
    private static readonly TimeSpan HeartbeatPeriod = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan ShutdownGrace = TimeSpan.FromSeconds(10);

    private readonly EdgeServices _edge;
    private readonly ObserverRegistry _observers;
    private readonly EdgeDeliveryTarget _deliveryTarget;
    private readonly IHostApplicationLifetime _lifetime;
    private readonly ILogger<EdgeLifecycle> _logger;
    private ITimer? _heartbeat;
    private CancellationTokenRegistration _stopping;
    private long _connectsAtLastBeat;
    private long _connectsAtLastTrim;
    private int _quietBeats;

    public EdgeLifecycle(EdgeServices edge, ObserverRegistry observers, EdgeDeliveryTarget deliveryTarget, IHostApplicationLifetime lifetime, ILogger<EdgeLifecycle> logger)
    {
        _edge = edge;
        _observers = observers;
        _deliveryTarget = deliveryTarget;
        _lifetime = lifetime;
        _logger = logger;
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        // Other nodes' edges address this one by node identity alone: "{node}/edge".
        _observers.RegisterWellKnown(EdgeDeliveryNames.Target, _deliveryTarget);

        // The deny lists CONNECT consults: the cluster-wide one now, tenants' as their clients come; a new ban
        // closes the connections here that it matches.
        _edge.DenyList.BanAdded += OnBanAdded;
        _edge.DenyList.Start();
        _heartbeat = _edge.Time.CreateTimer(static s => ((EdgeLifecycle)s!).Beat(), this, HeartbeatPeriod, HeartbeatPeriod);

        // ApplicationStopping fires before any hosted service stops, so clients are told while the silo still runs.
        _stopping = _lifetime.ApplicationStopping.Register(static s => ((EdgeLifecycle)s!).CloseAllConnections(), this);
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        CloseAllConnections();
        _edge.DenyList.BanAdded -= OnBanAdded;
        await _edge.Routes.StopAsync().ConfigureAwait(false);
        await _edge.DenyList.StopAsync().ConfigureAwait(false);
    }

    public void Dispose()
    {
        _heartbeat?.Dispose();
        _stopping.Dispose();
    }

    private void Beat()
    {
        var now = Environment.TickCount64;
        foreach (var connection in _edge.Connections.All)
        {
            connection.CheckTimeouts(now);
        }

        TrimAfterConnectionBurst();
    }

    /// <summary>
    /// A burst of connections leaves behind the garbage of thousands of CONNECT exchanges, promoted past
    /// gen0 while they were in flight; an idle broker allocates nothing, so no collection would ever
    /// return it and resident memory would stay inflated. Once a burst of at least
    /// <see cref="MqttOptions.MemoryTrimAfterConnections"/> connections has been quiet for two seconds,
    /// one compacting collection gives the memory back.
    /// </summary>
    private void TrimAfterConnectionBurst()
    {
        var threshold = _edge.Options.MemoryTrimAfterConnections;
        var connects = _edge.Connections.Accepted;
        var quiet = connects == _connectsAtLastBeat;
        _connectsAtLastBeat = connects;
        _quietBeats = quiet ? _quietBeats + 1 : 0;
        if (threshold <= 0 || connects - _connectsAtLastTrim < threshold || _quietBeats < 4)
        {
            return;
        }

        _connectsAtLastTrim = connects;
        var before = GC.GetTotalMemory(forceFullCollection: false);
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        LogTrimmed(before / 1024, GC.GetTotalMemory(forceFullCollection: false) / 1024);
    }

    /// <summary>A new ban: every connection here that it matches gets DISCONNECT 0x98 (3.x: closed).</summary>
    private void OnBanAdded(string scope, Grains.BanEntry ban)
    {
        var kicked = 0;
        foreach (var connection in _edge.Connections.All)
        {
            if (connection.IsBannedBy(scope, ban))
            {
                connection.KickBanned(ban);
                kicked++;
            }
        }

        if (kicked > 0)
        {
            LogKickedForBan(kicked, ban.ToString());
        }
    }

    private void CloseAllConnections()
    {
        if (_edge.Stopping)
        {
            return;
        }

        _edge.Stopping = true;
        var connections = _edge.Connections.All.ToArray();
        LogShuttingDown(connections.Length);
        var closing = new Task[connections.Length];
        for (var i = 0; i < connections.Length; i++)
        {
            closing[i] = connections[i].ShutdownAsync();
        }

        // Blocking here is deliberate: the host must not stop the silo before sessions are detached.
        try
        {
            Task.WaitAll(closing, ShutdownGrace);
        }
        catch (AggregateException)
        {
            // A connection that failed to close cleanly is logged by itself.
        }
    }

    [LoggerMessage(1, LogLevel.Information, "Closing {Count} MQTT connections for shutdown")]
    private partial void LogShuttingDown(int count);

    [LoggerMessage(3, LogLevel.Information, "Closed {Count} connections matched by a new ban: {Ban}")]
    private partial void LogKickedForBan(int count, string ban);

    [LoggerMessage(2, LogLevel.Debug, "Memory trimmed after a connection burst: managed heap {BeforeKiB} KiB -> {AfterKiB} KiB")]
    private partial void LogTrimmed(long beforeKiB, long afterKiB);
}
