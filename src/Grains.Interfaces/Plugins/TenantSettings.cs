namespace Bifro.Grains;

/// <summary>
/// What one tenant may do, named after BifroMQ's settings where they apply. A numeric limit of 0 turns that
/// limit off, where the table in README.md says so. Where a node-wide key (Bifro:Mqtt:*) bounds the same
/// thing, the smaller of the two applies. Bound from "Bifro:Tenants:Default" and "Bifro:Tenants:{tenantId}".
/// </summary>
public sealed class TenantSettings
{
    /// <summary>Levels in a topic name or filter (16 by default). More: 5.0 DISCONNECT 0x90 (PUBLISH), SUBACK 0x8F (filter), CONNACK 0x90 (will).</summary>
    public int MaxTopicLevels { get; set; } = 16;

    /// <summary>UTF-8 bytes in a topic name or filter (255 by default); beyond it, as for <see cref="MaxTopicLevels"/>.</summary>
    public int MaxTopicLength { get; set; } = 255;

    /// <summary>Bytes of one message's payload, will included (262,144 by default). More: 5.0 DISCONNECT 0x95 (PUBLISH), CONNACK 0x95 (will); 3.x closes.</summary>
    public int MaxUserPayloadBytes { get; set; } = 262_144;

    /// <summary>The longest session expiry granted, in seconds (86,400 by default); a longer request is lowered and CONNACK says so.</summary>
    public uint MaxSessionExpirySeconds { get; set; } = 86_400;

    /// <summary>Unacknowledged QoS 1 and 2 PUBLISH packets a client may send (CONNACK Receive Maximum; 200 by default). More: DISCONNECT 0x93.</summary>
    public int ReceivingMaximum { get; set; } = 200;

    /// <summary>Messages a persistent session's inbox keeps while it is offline; past it the oldest is dropped (1,000 by default).</summary>
    public int SessionInboxSize { get; set; } = 1000;

    /// <summary>PUBLISH packets per second one connection may send, with a burst of one second's worth (0, the default: no limit). More: 5.0 DISCONNECT 0x96, 3.x close.</summary>
    public int MsgPubPerSec { get; set; }

    /// <summary>Connections of the tenant at once, across the cluster (0, the default: no limit). More: CONNACK 0x97 (3.x: 3).</summary>
    public int MaxConnections { get; set; }

    /// <summary>New connections of the tenant per second on each node, with a burst of one second's worth (0, the default: no limit). More: CONNACK 0x9F (3.x: 3).</summary>
    public int ConnectPerSecond { get; set; }

    /// <summary>Subscriptions one session may hold (BifroMQ's MaxTopicFiltersPerInbox; 100 by default, 0: no limit). More: SUBACK 0x97 (3.1.1: 0x80) per filter.</summary>
    public int MaxSubscriptionsPerSession { get; set; } = 100;

    /// <summary>Topic filters in one SUBSCRIBE or UNSUBSCRIBE (10 by default, 0: no limit). More: 5.0 DISCONNECT 0x97, 3.x close.</summary>
    public int MaxTopicFiltersPerSub { get; set; } = 10;

    /// <summary>Whether retained messages are available (true by default). When false: CONNACK Retain Available 0; a retained PUBLISH gets DISCONNECT 0x9A, a retained will CONNACK 0x9A.</summary>
    public bool RetainEnabled { get; set; } = true;

    /// <summary>Topics with a retained message, per tenant (0, the default: no limit). A new one past it is not retained: 5.0 PUBACK / PUBREC 0x97.</summary>
    public int MaxRetainedTopics { get; set; }

    /// <summary>A copy, for overlaying a tenant's own settings on the defaults.</summary>
    public TenantSettings Clone() => (TenantSettings)MemberwiseClone();
}
