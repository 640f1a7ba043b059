namespace Bifro.MqttEdge.Codec.Packets;

/// <summary>
/// Everything the PUBLISH writer needs, as spans the caller already holds (the shared payload buffer,
/// the forwarded user properties). Properties are ignored for 3.1 and 3.1.1.
/// </summary>
/// <example><code>
/// var message = new OutgoingPublish { Version = version, QoS = qos, PacketId = id, Topic = topic, Payload = payload };
/// if (PublishPacket.GetSize(message) &lt;= clientMaximumPacketSize) { PublishPacket.Write(output, message); }
/// </code></example>
internal ref struct OutgoingPublish
{
    public ProtocolVersion Version;

    public QualityOfService QoS;

    public bool Retain;

    /// <summary>DUP: a redelivery. Only with QoS &gt; 0 [MQTT-3.3.1-2].</summary>
    public bool Dup;

    /// <summary>Non-zero when QoS &gt; 0, ignored otherwise.</summary>
    public ushort PacketId;

    /// <summary>Topic name as UTF-8; may be empty in 5.0 when <see cref="TopicAlias"/> is set.</summary>
    public ReadOnlySpan<byte> Topic;

    /// <summary>Topic Alias (0x23), 0 for none.</summary>
    public ushort TopicAlias;

    /// <summary>Payload Format Indicator (0x01), null for none.</summary>
    public byte? PayloadFormatIndicator;

    /// <summary>Message Expiry Interval (0x02) in seconds, null for none (the remaining lifetime when forwarding).</summary>
    public uint? MessageExpiryInterval;

    /// <summary>Content Type (0x03), written when <see cref="HasContentType"/> (it may be empty).</summary>
    public ReadOnlySpan<byte> ContentType;

    public bool HasContentType;

    /// <summary>Response Topic (0x08); written when not empty (an empty topic name is not valid).</summary>
    public ReadOnlySpan<byte> ResponseTopic;

    /// <summary>Correlation Data (0x09), written when <see cref="HasCorrelationData"/> (it may be empty).</summary>
    public ReadOnlySpan<byte> CorrelationData;

    public bool HasCorrelationData;

    /// <summary>User Properties already in wire form (<c>0x26 name value</c> entries), e.g. from <c>CopyUserPropertiesTo</c>.</summary>
    public ReadOnlySpan<byte> UserProperties;

    /// <summary>Subscription Identifiers (0x0B), 1..268,435,455 each, server to client only.</summary>
    public ReadOnlySpan<int> SubscriptionIdentifiers;

    public ReadOnlySpan<byte> Payload;
}
