namespace Bifro.MqttEdge.Codec;

/// <summary>The control packet type, the high nibble of the fixed header's first byte.</summary>
public enum PacketType : byte
{
    Reserved = 0,
    Connect = 1,
    ConnAck = 2,
    Publish = 3,
    PubAck = 4,
    PubRec = 5,
    PubRel = 6,
    PubComp = 7,
    Subscribe = 8,
    SubAck = 9,
    Unsubscribe = 10,
    UnsubAck = 11,
    PingReq = 12,
    PingResp = 13,
    Disconnect = 14,

    /// <summary>MQTT 5.0 only; reserved (and so malformed) in 3.1 and 3.1.1.</summary>
    Auth = 15,
}
