using System.Buffers;
using Bifro.MqttEdge.Codec.Framing;
using Bifro.MqttEdge.Codec.Properties;

namespace Bifro.MqttEdge.Codec.Packets;

/// <summary>
/// UNSUBSCRIBE (section 3.10). Fixed header flags 0b0010.
/// <code>
/// packet id (2) | 5.0: property block | UTF-8 topic filters (at least one)
/// </code>
/// As in SUBSCRIBE, a syntactically invalid filter is flagged, not an error of the packet.
/// </summary>
internal sealed class UnsubscribePacket : IControlPacket
{
    public ushort PacketId { get; init; }

    /// <summary>User Properties (0x26), null if none. 5.0 only.</summary>
    public List<UserProperty>? UserProperties { get; init; }

    /// <summary>The filters, in packet order (the UNSUBACK answers in the same order).</summary>
    public List<TopicFilter> TopicFilters { get; init; } = [];

    /// <summary>
    /// Decodes an UNSUBSCRIBE body. MalformedPacket: flags, UTF-8, lengths. ProtocolError: packet
    /// id 0, no filter, property rules.
    /// </summary>
    public static bool TryRead(byte flags, ReadOnlySpan<byte> body, ProtocolVersion version, out UnsubscribePacket? packet, out DecodeError error)
    {
        packet = null;

        // [MQTT-3.10.1-1] Bits 3,2,1 and 0 of the fixed header are 0,0,1,0 (a Malformed Packet otherwise).
        if (!FixedHeaderFlags.TryValidate(PacketType.Unsubscribe, flags, version, out error))
        {
            return false;
        }

        var reader = new PacketReader(body);
        if (!reader.TryReadUInt16(out var packetId))
        {
            error = reader.Error;
            return false;
        }

        // [MQTT-2.2.1-3] UNSUBSCRIBE carries a non-zero Packet Identifier.
        if (packetId == 0)
        {
            error = DecodeError.ProtocolError("MQTT-2.2.1-3", "UNSUBSCRIBE with packet identifier 0");
            return false;
        }

        List<UserProperty>? userProperties = null;
        if (version == ProtocolVersion.Mqtt500)
        {
            if (!reader.TryReadPropertyBlock(out var block)
                || !DiagnosticProperties.TryRead(block, PropertyContext.Unsubscribe, out _, out userProperties, out error))
            {
                error = error.IsError ? error : reader.Error;
                return false;
            }
        }

        var filters = new List<TopicFilter>();
        while (!reader.IsEnd)
        {
            // [MQTT-3.10.3-1] The Topic Filters MUST be UTF-8 Encoded Strings.
            if (!reader.TryReadUtf8String(out var filter))
            {
                error = reader.Error with { Field = DecodeField.TopicFilter };
                return false;
            }

            filters.Add(TopicFilter.Parse(filter));
        }

        // [MQTT-3.10.3-2] The Payload of an UNSUBSCRIBE packet MUST contain at least one Topic Filter.
        if (filters.Count == 0)
        {
            error = DecodeError.ProtocolError("MQTT-3.10.3-2", "UNSUBSCRIBE without topic filters");
            return false;
        }

        packet = new UnsubscribePacket { PacketId = packetId, UserProperties = userProperties, TopicFilters = filters };
        return true;
    }

    /// <summary>UNSUBSCRIBE carries no Reason String; user properties are always written.</summary>
    public int GetSize(ProtocolVersion version, bool includeDiagnostics = true) =>
        PropertySize.Packet(GetRemainingLength(version, out _));

    public void Write(IBufferWriter<byte> output, ProtocolVersion version, bool includeDiagnostics = true)
    {
        var remainingLength = GetRemainingLength(version, out var propertiesLength);
        var size = PropertySize.Packet(remainingLength);
        var writer = new PacketWriter(output.GetSpan(size));
        writer.WriteFixedHeader(PacketType.Unsubscribe, FixedHeaderFlags.QoS1, remainingLength);
        writer.WriteUInt16(PacketId);
        if (version == ProtocolVersion.Mqtt500)
        {
            writer.WriteVariableByteInteger(propertiesLength);
            PropertyWriter.WriteUserProperties(ref writer, UserProperties);
        }

        foreach (var filter in TopicFilters)
        {
            writer.WriteString(filter.Filter);
        }

        writer.AssertComplete(PacketType.Unsubscribe, size);
        output.Advance(size);
    }

    private int GetRemainingLength(ProtocolVersion version, out int propertiesLength)
    {
        if (PacketId == 0 || TopicFilters.Count == 0)
        {
            CodecThrowHelper.ThrowArgument("UNSUBSCRIBE needs a packet identifier and at least one filter.", nameof(TopicFilters));
        }

        propertiesLength = 0;
        var length = 2;                                                              // packet identifier
        if (version == ProtocolVersion.Mqtt500)
        {
            propertiesLength = PropertySize.UserProperties(UserProperties);          // 0x26 user properties
            length += PropertySize.Block(propertiesLength);                          // property length + properties
        }

        foreach (var filter in TopicFilters)
        {
            length += 2 + PropertySize.StringBytes(filter.Filter);                   // topic filter
        }

        return length;
    }
}
