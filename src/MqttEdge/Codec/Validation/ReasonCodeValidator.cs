namespace Bifro.MqttEdge.Codec.Validation;

/// <summary>
/// Which 5.0 reason codes each packet may carry (section 2.4 and each packet's reason code table).
/// A code outside its packet's table is treated as a Malformed Packet: the byte is not a value of the
/// field's type, in the sense of section 2.2.2.2 / 4.13.
/// </summary>
internal static class ReasonCodeValidator
{
    // Section 3.2.2.2, [MQTT-3.2.2-8].
    private static ReadOnlySpan<byte> ConnAck =>
    [
        0x00, 0x80, 0x81, 0x82, 0x83, 0x84, 0x85, 0x86, 0x87, 0x88, 0x89, 0x8A, 0x8C,
        0x90, 0x95, 0x97, 0x99, 0x9A, 0x9B, 0x9C, 0x9D, 0x9F,
    ];

    // Sections 3.4.2.1 and 3.5.2.1, [MQTT-3.4.2-1], [MQTT-3.5.2-1].
    private static ReadOnlySpan<byte> PubAckPubRec => [0x00, 0x10, 0x80, 0x83, 0x87, 0x90, 0x91, 0x97, 0x99];

    // Sections 3.6.2.1 and 3.7.2.1, [MQTT-3.6.2-1], [MQTT-3.7.2-1].
    private static ReadOnlySpan<byte> PubRelPubComp => [0x00, 0x92];

    // Section 3.9.3, [MQTT-3.9.3-2].
    private static ReadOnlySpan<byte> SubAck => [0x00, 0x01, 0x02, 0x80, 0x83, 0x87, 0x8F, 0x91, 0x97, 0x9E, 0xA1, 0xA2];

    // Section 3.11.3, [MQTT-3.11.3-2].
    private static ReadOnlySpan<byte> UnsubAck => [0x00, 0x11, 0x80, 0x83, 0x87, 0x8F, 0x91];

    // Section 3.14.2.1, [MQTT-3.14.2-1].
    private static ReadOnlySpan<byte> Disconnect =>
    [
        0x00, 0x04, 0x80, 0x81, 0x82, 0x83, 0x87, 0x89, 0x8B, 0x8D, 0x8E, 0x8F, 0x90, 0x93, 0x94, 0x95,
        0x96, 0x97, 0x98, 0x99, 0x9A, 0x9B, 0x9C, 0x9D, 0x9E, 0x9F, 0xA0, 0xA1, 0xA2,
    ];

    // Section 3.15.2.1, [MQTT-3.15.2-1].
    private static ReadOnlySpan<byte> Auth => [0x00, 0x18, 0x19];

    /// <summary>True when <paramref name="code"/> is in the 5.0 reason code table of <paramref name="type"/>.</summary>
    public static bool IsValid(PacketType type, byte code) => type switch
    {
        PacketType.ConnAck => ConnAck.Contains(code),
        PacketType.PubAck or PacketType.PubRec => PubAckPubRec.Contains(code),
        PacketType.PubRel or PacketType.PubComp => PubRelPubComp.Contains(code),
        PacketType.SubAck => SubAck.Contains(code),
        PacketType.UnsubAck => UnsubAck.Contains(code),
        PacketType.Disconnect => Disconnect.Contains(code),
        PacketType.Auth => Auth.Contains(code),
        _ => false,
    };

    /// <summary>The statement that lists the reason codes of <paramref name="type"/>.</summary>
    public static string Statement(PacketType type) => type switch
    {
        PacketType.ConnAck => "MQTT-3.2.2-8",
        PacketType.PubAck => "MQTT-3.4.2-1",
        PacketType.PubRec => "MQTT-3.5.2-1",
        PacketType.PubRel => "MQTT-3.6.2-1",
        PacketType.PubComp => "MQTT-3.7.2-1",
        PacketType.SubAck => "MQTT-3.9.3-2",
        PacketType.UnsubAck => "MQTT-3.11.3-2",
        PacketType.Disconnect => "MQTT-3.14.2-1",
        PacketType.Auth => "MQTT-3.15.2-1",
        _ => "§2.4",
    };

    /// <summary>Reads-side check: the error to report when <paramref name="code"/> is not allowed.</summary>
    public static bool TryValidate(PacketType type, byte code, out DecodeError error)
    {
        if (IsValid(type, code))
        {
            error = default;
            return true;
        }

        error = DecodeError.Malformed(Statement(type), "reason code not allowed in this packet");
        return false;
    }
}
