using Bifro.MqttEdge.Codec;

namespace Bifro.MqttEdge.Delivery;

internal enum OutboundKind : byte
{
    Publish,
    PubAck,
    PubRec,
    PubRel,
    PubComp,
    PingResp,

    /// <summary>A control packet object (CONNACK, SUBACK, UNSUBACK, AUTH).</summary>
    Packet,

    /// <summary>A DISCONNECT (5.0) after which nothing more is written and the connection closes.</summary>
    Disconnect,
}

/// <summary>One packet waiting in a connection's outbound queue; small packets carry their fields inline, without allocating.</summary>
internal struct OutboundEntry
{
    public OutboundKind Kind;
    public QualityOfService QoS;
    public bool Retain;
    public bool Dup;
    public ushort PacketId;
    public ReasonCode Reason;

    /// <summary>For inbox deliveries, the inbox sequence number the client's acknowledgement maps back to; 0 otherwise.</summary>
    public long InboxSequence;

    public PublishMessage? Message;

    /// <summary>Subscription identifiers, when the subscriber's matching subscriptions have any.</summary>
    public uint[]? SubscriptionIds;

    public object? Packet;

    public string? ReasonString;
}
