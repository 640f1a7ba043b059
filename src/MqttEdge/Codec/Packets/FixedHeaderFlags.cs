namespace Bifro.MqttEdge.Codec.Packets;

/// <summary>The reserved flags of the fixed header (section 2.1.3), for every packet but PUBLISH.</summary>
internal static class FixedHeaderFlags
{
    /// <summary>PUBREL, SUBSCRIBE and UNSUBSCRIBE: 0b0010.</summary>
    public const byte QoS1 = 0b0010;

    /// <summary>
    /// [MQTT-2.1.3-1] Where a flag bit is marked as Reserved, it MUST be set to the value listed;
    /// any other value is a Malformed Packet. MQTT 3.1 predates the rule: its PUBREL, SUBSCRIBE and
    /// UNSUBSCRIBE are "QoS 1" and may carry DUP on a retry, so 0b1010 is accepted from a 3.1 client.
    /// </summary>
    public static bool TryValidate(PacketType type, byte flags, ProtocolVersion version, out DecodeError error)
    {
        var expected = type is PacketType.PubRel or PacketType.Subscribe or PacketType.Unsubscribe ? QoS1 : (byte)0;
        if (flags == expected || (version == ProtocolVersion.Mqtt310 && expected == QoS1 && flags == (QoS1 | 0b1000)))
        {
            error = default;
            return true;
        }

        error = DecodeError.Malformed("MQTT-2.1.3-1", "reserved fixed header flags not as specified");
        return false;
    }
}
