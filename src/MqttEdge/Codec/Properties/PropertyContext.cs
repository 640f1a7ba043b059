namespace Bifro.MqttEdge.Codec.Properties;

/// <summary>
/// Where a property block sits: one bit per packet type (bit n is <see cref="PacketType"/> n) plus the
/// Will Properties of CONNECT, which are not a packet.
/// </summary>
[Flags]
internal enum PropertyContext : uint
{
    None = 0,
    Connect = 1u << PacketType.Connect,
    ConnAck = 1u << PacketType.ConnAck,
    Publish = 1u << PacketType.Publish,
    PubAck = 1u << PacketType.PubAck,
    PubRec = 1u << PacketType.PubRec,
    PubRel = 1u << PacketType.PubRel,
    PubComp = 1u << PacketType.PubComp,
    Subscribe = 1u << PacketType.Subscribe,
    SubAck = 1u << PacketType.SubAck,
    Unsubscribe = 1u << PacketType.Unsubscribe,
    UnsubAck = 1u << PacketType.UnsubAck,
    Disconnect = 1u << PacketType.Disconnect,
    Auth = 1u << PacketType.Auth,
    Will = 1u << 16,

    /// <summary>The acknowledgements whose only properties are Reason String and User Property.</summary>
    Acks = PubAck | PubRec | PubRel | PubComp | SubAck | UnsubAck,
}
