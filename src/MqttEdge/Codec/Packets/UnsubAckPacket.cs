using System.Buffers;
using Bifro.MqttEdge.Codec.Framing;
using Bifro.MqttEdge.Codec.Properties;
using Bifro.MqttEdge.Codec.Validation;

namespace Bifro.MqttEdge.Codec.Packets;

/// <summary>
/// UNSUBACK (section 3.11).
/// <code>
/// 3.x   packet id (2)                                              remaining length 2
/// 5.0   packet id (2) | property block | reason codes (1 each, one per filter)
/// </code>
/// </summary>
internal sealed class UnsubAckPacket : IControlPacket
{
    public ushort PacketId { get; init; }

    /// <summary>5.0: one reason code per filter of the UNSUBSCRIBE. Empty in 3.x (and not written).</summary>
    public List<ReasonCode> ReasonCodes { get; init; } = [];

    /// <summary>Reason String (0x1F), null if absent. 5.0 only.</summary>
    public string? ReasonString { get; init; }

    /// <summary>User Properties (0x26), null if none. 5.0 only.</summary>
    public List<UserProperty>? UserProperties { get; init; }

    /// <summary>Decodes an UNSUBACK body; an undefined reason code or a 3.x body other than 2 bytes is MalformedPacket.</summary>
    public static bool TryRead(byte flags, ReadOnlySpan<byte> body, ProtocolVersion version, out UnsubAckPacket? packet, out DecodeError error)
    {
        packet = null;
        if (!FixedHeaderFlags.TryValidate(PacketType.UnsubAck, flags, version, out error))
        {
            return false;
        }

        var reader = new PacketReader(body);
        if (!reader.TryReadUInt16(out var packetId))
        {
            error = reader.Error;
            return false;
        }

        if (packetId == 0)
        {
            error = DecodeError.ProtocolError("MQTT-2.2.1-3", "UNSUBACK with packet identifier 0");
            return false;
        }

        if (version != ProtocolVersion.Mqtt500)
        {
            // 3.x: "The UNSUBACK Packet has no payload", remaining length 2.
            if (!reader.TryReadEnd())
            {
                error = reader.Error;
                return false;
            }

            packet = new UnsubAckPacket { PacketId = packetId };
            return true;
        }

        if (!reader.TryReadPropertyBlock(out var block)
            || !DiagnosticProperties.TryRead(block, PropertyContext.UnsubAck, out var reasonString, out var userProperties, out error))
        {
            error = error.IsError ? error : reader.Error;
            return false;
        }

        var codes = reader.ReadToEnd();

        // [MQTT-3.11.3-2] one reason code per topic filter, and an UNSUBSCRIBE has at least one.
        if (codes.IsEmpty)
        {
            error = DecodeError.ProtocolError("MQTT-3.11.3-2", "UNSUBACK without reason codes");
            return false;
        }

        var reasonCodes = new List<ReasonCode>(codes.Length);
        foreach (var code in codes)
        {
            if (!ReasonCodeValidator.TryValidate(PacketType.UnsubAck, code, out error))
            {
                return false;
            }

            reasonCodes.Add((ReasonCode)code);
        }

        packet = new UnsubAckPacket { PacketId = packetId, ReasonCodes = reasonCodes, ReasonString = reasonString, UserProperties = userProperties };
        return true;
    }

    public int GetSize(ProtocolVersion version, bool includeDiagnostics = true) =>
        PropertySize.Packet(GetRemainingLength(version, includeDiagnostics, out _));

    public void Write(IBufferWriter<byte> output, ProtocolVersion version, bool includeDiagnostics = true)
    {
        var remainingLength = GetRemainingLength(version, includeDiagnostics, out var propertiesLength);
        var size = PropertySize.Packet(remainingLength);
        var writer = new PacketWriter(output.GetSpan(size));
        writer.WriteFixedHeader(PacketType.UnsubAck, 0, remainingLength);
        writer.WriteUInt16(PacketId);
        if (version == ProtocolVersion.Mqtt500)
        {
            writer.WriteVariableByteInteger(propertiesLength);
            DiagnosticProperties.Write(ref writer, ReasonString, UserProperties, includeDiagnostics);
            foreach (var code in ReasonCodes)
            {
                writer.WriteByte((byte)code);
            }
        }

        writer.AssertComplete(PacketType.UnsubAck, size);
        output.Advance(size);
    }

    /// <summary>Writes within the peer's Maximum Packet Size, dropping Reason String and User Properties if needed.</summary>
    public bool TryWrite(IBufferWriter<byte> output, ProtocolVersion version, uint maximumPacketSize) =>
        PacketSizeLimit.TryWrite(this, output, version, maximumPacketSize);

    private int GetRemainingLength(ProtocolVersion version, bool includeDiagnostics, out int propertiesLength)
    {
        if (PacketId == 0)
        {
            CodecThrowHelper.ThrowArgument("Packet identifiers are non-zero [MQTT-2.2.1-3].", nameof(PacketId));
        }

        propertiesLength = 0;
        if (version != ProtocolVersion.Mqtt500)
        {
            return 2;                                                                // packet identifier only
        }

        if (ReasonCodes.Count == 0)
        {
            CodecThrowHelper.ThrowArgument("A 5.0 UNSUBACK needs one reason code per filter.", nameof(ReasonCodes));
        }

        foreach (var code in ReasonCodes)
        {
            if (!ReasonCodeValidator.IsValid(PacketType.UnsubAck, (byte)code))
            {
                CodecThrowHelper.ThrowArgument("Not an UNSUBACK reason code.", nameof(ReasonCodes));
            }
        }

        propertiesLength = DiagnosticProperties.GetLength(ReasonString, UserProperties, includeDiagnostics); // 0x1F, 0x26
        return 2                                                                     // packet identifier
            + PropertySize.Block(propertiesLength)                                   // property length + properties
            + ReasonCodes.Count;                                                     // one reason code per filter
    }
}
