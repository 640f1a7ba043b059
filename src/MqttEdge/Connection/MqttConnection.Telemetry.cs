using System.Diagnostics;
using Bifro.MqttEdge.Codec;
using Bifro.MqttEdge.Codec.Packets;
using Bifro.MqttEdge.Delivery;
using Bifro.MqttEdge.Diagnostics;

namespace Bifro.MqttEdge.Connection;

/// <summary>
/// Metrics and traces of one connection (see <see cref="EdgeMetrics"/>): counts kept in the connection and
/// read by collectors, spans for CONNECT, SUBSCRIBE and one PUBLISH in <see cref="EdgeMetrics.PublishTraceInterval"/>,
/// and what administration shows of a connection.
/// </summary>
internal sealed partial class MqttConnection
{
    private ConnectionTraffic? _traffic;
    private int _latencySample;
    private int _publishTraceSample;

    /// <summary>This connection's PUBLISH counts; null until its first PUBLISH either way.</summary>
    public ConnectionTraffic? Traffic => Volatile.Read(ref _traffic);

    /// <summary>The tenant the auth provider named (the default tenant before CONNECT completes).</summary>
    public string Tenant => _tenant;

    public bool IsConnected => _phase == ConnectionPhase.Connected;

    /// <summary>Messages queued for the client beyond its window (read without the lock: a gauge's approximation).</summary>
    public int QueuedPublishes => _publishes.Count;

    /// <summary>QoS 1 and 2 messages sent and not yet acknowledged.</summary>
    public int OutboundInFlight => _outboundInFlight;

    public string ListenerName => _listener.ListenerName;

    /// <summary>The user id the auth provider named; null before CONNECT completes.</summary>
    public string? UserId => _client?.UserId;

    /// <summary>Seconds without a packet after which the connection closes (1.5 × keep alive); 0 for none.</summary>
    public int KeepAliveSeconds => _keepAliveMilliseconds / 1500;

    /// <summary>When the network connection was accepted.</summary>
    public DateTimeOffset AcceptedAt => _edge.Time.GetUtcNow() - TimeSpan.FromMilliseconds(Environment.TickCount64 - _startedTicks);

    private ConnectionTraffic TrafficCounters =>
        Volatile.Read(ref _traffic) ?? Interlocked.CompareExchange(ref _traffic, new ConnectionTraffic(), null) ?? _traffic!;

    /// <summary>A PUBLISH from the client (on the reader).</summary>
    private void CountReceived(QualityOfService qos, int payloadLength)
    {
        var values = TrafficCounters.Values;
        values[ConnectionTraffic.Received + ConnectionTraffic.Messages + (int)qos]++;
        values[ConnectionTraffic.Received + ConnectionTraffic.Bytes + (int)qos] += payloadLength;
    }

    /// <summary>A PUBLISH written to the client (on the writer), and one in a few into the latency histogram.</summary>
    private void CountSent(QualityOfService qos, PublishMessage message, long nowUtcTicks)
    {
        var values = TrafficCounters.Values;
        values[ConnectionTraffic.Sent + ConnectionTraffic.Messages + (int)qos]++;
        values[ConnectionTraffic.Sent + ConnectionTraffic.Bytes + (int)qos] += message.PayloadLength;
        if (++_latencySample >= EdgeMetrics.LatencySampleInterval)
        {
            _latencySample = 0;
            var histogram = _edge.Metrics.DeliveryDuration;
            if (histogram.Enabled && message.PublishedUtcTicks > 0)
            {
                // The writer read the clock for expiry already: the latency costs no clock reading of its own.
                histogram.Record(Math.Max(0, nowUtcTicks - message.PublishedUtcTicks) / (double)TimeSpan.TicksPerSecond);
            }
        }
    }

    /// <summary>A span for this PUBLISH, when tracing is on and its turn in the sample has come.</summary>
    private Activity? StartPublishActivity(QualityOfService qos, bool retain)
    {
        var interval = _edge.Metrics.PublishTraceInterval;
        if (interval <= 0 || !EdgeInstrumentation.ActivitySource.HasListeners() || ++_publishTraceSample < interval)
        {
            return null;
        }

        _publishTraceSample = 0;
        var activity = EdgeInstrumentation.ActivitySource.StartActivity("mqtt.publish", ActivityKind.Consumer);
        if (activity is not null)
        {
            SetClientTags(activity);
            activity.SetTag("mqtt.qos", (int)qos);
            activity.SetTag("mqtt.retain", retain);
        }

        return activity;
    }

    /// <summary>CONNECT inside a span (authentication and the session's grain calls become its children).</summary>
    private async ValueTask<bool> TracedConnectAsync(ConnectPacket connect)
    {
        using var activity = EdgeInstrumentation.ActivitySource.StartActivity("mqtt.connect", ActivityKind.Server);
        if (activity is null)
        {
            return await ConnectAsync(connect).ConfigureAwait(false);
        }

        activity.SetTag("mqtt.protocol_version", (int)connect.Version);
        activity.SetTag("mqtt.listener", _listener.ListenerName);
        var connected = await ConnectAsync(connect).ConfigureAwait(false);
        SetClientTags(activity);
        if (!connected || _phase != ConnectionPhase.Connected)
        {
            activity.SetStatus(ActivityStatusCode.Error, "CONNECT refused");
        }

        return connected;
    }

    /// <summary>SUBSCRIBE inside a span.</summary>
    private async ValueTask<bool> TracedSubscribeAsync(SubscribePacket packet)
    {
        using var activity = EdgeInstrumentation.ActivitySource.StartActivity("mqtt.subscribe", ActivityKind.Server);
        if (activity is not null)
        {
            SetClientTags(activity);
            activity.SetTag("mqtt.filters", packet.Subscriptions.Count);
        }

        return await SubscribeAsync(packet).ConfigureAwait(false);
    }

    private void SetClientTags(Activity activity)
    {
        if (SessionKey is { } key)
        {
            activity.SetTag("mqtt.tenant", _tenant);
            activity.SetTag("mqtt.client_id", Grains.SessionKey.ClientIdOf(key));
        }
    }
}
