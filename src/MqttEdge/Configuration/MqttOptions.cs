using Bifro.MqttEdge.Codec;

namespace Bifro.MqttEdge.Configuration;

/// <summary>The MQTT edge's settings, bound from the configuration section "Bifro:Mqtt".</summary>
public sealed class MqttOptions
{
    public const string SectionName = "Bifro:Mqtt";

    /// <summary>The plain TCP listener ("tcp", port 1883, enabled by default).</summary>
    public TcpListenerOptions Tcp { get; set; } = new();

    /// <summary>The MQTT over TLS listener ("tls", port 8883, disabled by default).</summary>
    public TlsListenerOptions Tls { get; set; } = new();

    /// <summary>The MQTT over WebSocket listener ("ws", port 8080, path "/mqtt", disabled by default).</summary>
    public WebSocketListenerOptions Ws { get; set; } = new();

    /// <summary>The MQTT over secure WebSocket listener ("wss", port 8443, path "/mqtt", disabled by default).</summary>
    public SecureWebSocketListenerOptions Wss { get; set; } = new();

    /// <summary>
    /// How often the certificate, key and CA files of the TLS listeners are checked for changes, besides the
    /// file-system notifications that usually report a change at once (10 seconds by default).
    /// </summary>
    public TimeSpan CertificateReloadInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The enabled listeners, in the order they are opened.</summary>
    public IEnumerable<MqttListenerOptions> EnabledListeners()
    {
        MqttListenerOptions[] all = [Tcp, Tls, Ws, Wss];
        return all.Where(listener => listener.Enabled);
    }

    /// <summary>A connection that sends no CONNECT within this time is closed (10 seconds by default).</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// The largest packet accepted from a client, told to 5.0 clients in CONNACK (256 KiB by default, as
    /// BifroMQ's MaxUserPayloadBytes). It also sizes how much Kestrel reads ahead per connection, which is
    /// what a paused (back-pressured) publisher keeps buffered.
    /// </summary>
    public int MaxPacketSize { get; set; } = 256 * 1024;

    /// <summary>How many QoS 1 and 2 PUBLISH packets a client may have unacknowledged (Receive Maximum; 100 by default).</summary>
    public ushort ReceiveMaximum { get; set; } = 100;

    /// <summary>How many QoS 1 and 2 messages are sent to a 3.x client before it acknowledges (100 by default); 5.0 clients say their own.</summary>
    public ushort MaxInflightOutbound { get; set; } = 100;

    /// <summary>Topic aliases a 5.0 client may set (Topic Alias Maximum; 64 by default, 0 disables them).</summary>
    public ushort TopicAliasMaximum { get; set; } = 64;

    /// <summary>When above 0, replaces the client's keep alive (5.0 Server Keep Alive); 0 by default.</summary>
    public ushort ServerKeepAlive { get; set; }

    /// <summary>The longest session expiry interval granted, and the one a 3.x persistent session gets (86,400 seconds by default).</summary>
    public uint MaxSessionExpiryInterval { get; set; } = 86_400;

    /// <summary>Messages queued for a connected client beyond its in-flight window; past it new messages are dropped (1,000 by default).</summary>
    public int MaxQueuedMessages { get; set; } = 1000;

    /// <summary>
    /// QoS 0 deliveries waiting to go to one other node; past it they are dropped and counted, so that a
    /// node that cannot keep up does not grow this one's memory (100,000 by default). QoS 1 and 2 are
    /// never dropped here: their publishers wait for the node's acknowledgement.
    /// </summary>
    public int MaxQueuedRemoteDeliveries { get; set; } = 100_000;

    /// <summary>
    /// Back-pressure across nodes: when this many deliveries wait for one other node (it answers slower
    /// than we publish, because its subscribers are congested), publishers stop reading until half have
    /// gone (10,000 by default; 0 turns it off).
    /// </summary>
    public int RemoteHighWaterMark { get; set; } = 10_000;

    /// <summary>
    /// Back-pressure: when this many messages wait for a client, the connections publishing to it stop
    /// reading until half of them are sent, so fast publishers slow to what the subscriber takes instead
    /// of filling memory (300 by default; 0 turns it off).
    /// </summary>
    public int OutboundHighWaterMark { get; set; } = 300;

    /// <summary>How long a publisher waits for a congested subscriber before that subscriber loses its back-pressure and its queue limit applies (1 second by default).</summary>
    public TimeSpan BackpressureTimeout { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Messages a persistent session's inbox keeps; past it the oldest is dropped (1,000 by default).</summary>
    public int MaxOfflineMessages { get; set; } = 1000;

    /// <summary>Retained messages sent for one subscription at most (10,000 by default).</summary>
    public int RetainedMessagesPerSubscription { get; set; } = 10_000;

    /// <summary>The longest client identifier accepted (65,535 by default).</summary>
    public int MaxClientIdLength { get; set; } = 65_535;

    /// <summary>The highest QoS granted (2 by default).</summary>
    public QualityOfService MaximumQoS { get; set; } = QualityOfService.ExactlyOnce;

    public bool RetainAvailable { get; set; } = true;

    public bool WildcardSubscriptionAvailable { get; set; } = true;

    public bool SharedSubscriptionAvailable { get; set; } = true;

    public bool SubscriptionIdentifiersAvailable { get; set; } = true;

    /// <summary>
    /// After this many new connections, once they have been quiet for two seconds, one full garbage
    /// collection returns the memory their handshakes left behind (1,000 by default; 0 turns it off).
    /// </summary>
    public int MemoryTrimAfterConnections { get; set; } = 1000;

    /// <summary>How long a grain call made for a client (CONNECT, SUBSCRIBE) may take before the client gets an error (10 seconds by default).</summary>
    public TimeSpan GrainCallTimeout { get; set; } = TimeSpan.FromSeconds(10);
}
