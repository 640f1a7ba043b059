using System.Buffers;
using Bifro.MqttEdge.Codec.Framing;
using Bifro.MqttEdge.Codec.Properties;
using Bifro.MqttEdge.Codec.Validation;

namespace Bifro.MqttEdge.Codec.Packets;

/// <summary>
/// The shared wire format of PUBACK, PUBREC, PUBREL and PUBCOMP (sections 3.4 to 3.7):
/// <code>
/// 3.x   packet id (2)                                       remaining length 2
/// 5.0   packet id (2)                                       remaining length 2: reason 0x00, no properties
///       packet id (2), reason code (1)                      remaining length 3: no properties
///       packet id (2), reason code (1), property block      remaining length 4 or more
/// </code>
/// </summary>
internal static class PublishAckCodec
{
    public static bool TryRead(
        PacketType type, byte flags, ReadOnlySpan<byte> body, ProtocolVersion version,
        out ushort packetId, out ReasonCode reasonCode, out string? reasonString,
        out List<UserProperty>? userProperties, out DecodeError error)
    {
        packetId = 0;
        reasonCode = ReasonCode.Success;
        reasonString = null;
        userProperties = null;
        if (!FixedHeaderFlags.TryValidate(type, flags, version, out error))
        {
            return false;
        }

        var reader = new PacketReader(body);
        if (!reader.TryReadUInt16(out packetId))
        {
            error = reader.Error;
            return false;
        }

        // [MQTT-2.2.1-3] packet identifiers are non-zero, so no acknowledgement carries 0.
        if (packetId == 0)
        {
            error = DecodeError.ProtocolError("MQTT-2.2.1-3", "acknowledgement of packet identifier 0");
            return false;
        }

        // 5.0: "The Reason Code and Property Length can be omitted if the Reason Code is 0x00 (Success)
        // and there are no Properties. In this case the packet has a Remaining Length of 2." and "If the
        // Remaining Length is less than 4 there is no Property Length and the value of 0 is used."
        if (version == ProtocolVersion.Mqtt500 && !reader.IsEnd)
        {
            if (!reader.TryReadByte(out var code))
            {
                error = reader.Error;
                return false;
            }

            // [MQTT-3.4.2-1] and the like: one of the packet's reason codes.
            if (!ReasonCodeValidator.TryValidate(type, code, out error))
            {
                return false;
            }

            reasonCode = (ReasonCode)code;
            if (!reader.IsEnd)
            {
                if (!reader.TryReadPropertyBlock(out var block))
                {
                    error = reader.Error;
                    return false;
                }

                if (!DiagnosticProperties.TryRead(block, (PropertyContext)(1u << (int)type), out reasonString, out userProperties, out error))
                {
                    return false;
                }
            }
        }

        // 3.x: the remaining length is exactly 2. 5.0: nothing may follow the property block.
        if (!reader.TryReadEnd())
        {
            error = reader.Error;
            return false;
        }

        error = default;
        return true;
    }

    public static int GetSize(
        ProtocolVersion version, ReasonCode reasonCode, string? reasonString,
        List<UserProperty>? userProperties, bool includeDiagnostics) =>
        PropertySize.Packet(GetRemainingLength(version, reasonCode, reasonString, userProperties, includeDiagnostics, out _));

    public static void Write(
        IBufferWriter<byte> output, PacketType type, ProtocolVersion version, ushort packetId,
        ReasonCode reasonCode, string? reasonString, List<UserProperty>? userProperties, bool includeDiagnostics)
    {
        if (packetId == 0)
        {
            CodecThrowHelper.ThrowArgument("Packet identifiers are non-zero [MQTT-2.2.1-3].", nameof(packetId));
        }

        var remainingLength = GetRemainingLength(version, reasonCode, reasonString, userProperties, includeDiagnostics, out var propertiesLength);
        var size = PropertySize.Packet(remainingLength);
        var writer = new PacketWriter(output.GetSpan(size));
        writer.WriteFixedHeader(type, type == PacketType.PubRel ? FixedHeaderFlags.QoS1 : (byte)0, remainingLength);
        writer.WriteUInt16(packetId);
        if (remainingLength > 2)
        {
            writer.WriteByte((byte)reasonCode);
            if (remainingLength > 3)
            {
                writer.WriteVariableByteInteger(propertiesLength);
                DiagnosticProperties.Write(ref writer, reasonString, userProperties, includeDiagnostics);
            }
        }

        writer.AssertComplete(type, size);
        output.Advance(size);
    }

    private static int GetRemainingLength(
        ProtocolVersion version, ReasonCode reasonCode, string? reasonString,
        List<UserProperty>? userProperties, bool includeDiagnostics, out int propertiesLength)
    {
        propertiesLength = 0;

        // 3.x has no reason code: the packet is the packet identifier alone.
        if (version != ProtocolVersion.Mqtt500)
        {
            return 2;
        }

        propertiesLength = DiagnosticProperties.GetLength(reasonString, userProperties, includeDiagnostics);
        if (propertiesLength > 0)
        {
            return 2 + 1 + PropertySize.Block(propertiesLength);     // packet id + reason code + properties
        }

        return reasonCode == ReasonCode.Success ? 2 : 3;             // short forms of section 3.4.2.1
    }
}
