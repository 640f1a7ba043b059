using System.Buffers;
using Bifro.MqttEdge.Codec.Framing;
using Bifro.MqttEdge.Codec.Properties;
using Bifro.MqttEdge.Codec.Validation;

namespace Bifro.MqttEdge.Codec.Packets;

/// <summary>
/// SUBACK (section 3.9): one reason code per filter of the SUBSCRIBE, in order.
/// <code>
/// packet id (2) | 5.0: property block | reason codes (1 each, at least one)
/// </code>
/// Reason codes are the 5.0 ones throughout: 3.1.1 has 0x00, 0x01, 0x02 and 0x80 (the writer sends 0x80
/// for every 5.0 failure code); 3.1 has only the granted QoS 0x00-0x02, there is no failure code (a 3.1
/// server refusing a filter closes the connection, and the writer throws on a failure code).
/// </summary>
internal sealed class SubAckPacket : IControlPacket
{
    public ushort PacketId { get; init; }

    /// <summary>Granted QoS (0x00-0x02) or a failure (0x80 and up), one per filter.</summary>
    public List<ReasonCode> ReasonCodes { get; init; } = [];

    /// <summary>Reason String (0x1F), null if absent. 5.0 only.</summary>
    public string? ReasonString { get; init; }

    /// <summary>User Properties (0x26), null if none. 5.0 only.</summary>
    public List<UserProperty>? UserProperties { get; init; }

    /// <summary>Decodes a SUBACK body; a reason code not defined for the version is MalformedPacket.</summary>
    public static bool TryRead(byte flags, ReadOnlySpan<byte> body, ProtocolVersion version, out SubAckPacket? packet, out DecodeError error)
    {
        packet = null;
        if (!FixedHeaderFlags.TryValidate(PacketType.SubAck, flags, version, out error))
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
            error = DecodeError.ProtocolError("MQTT-2.2.1-3", "SUBACK with packet identifier 0");
            return false;
        }

        string? reasonString = null;
        List<UserProperty>? userProperties = null;
        if (version == ProtocolVersion.Mqtt500)
        {
            if (!reader.TryReadPropertyBlock(out var block)
                || !DiagnosticProperties.TryRead(block, PropertyContext.SubAck, out reasonString, out userProperties, out error))
            {
                error = error.IsError ? error : reader.Error;
                return false;
            }
        }

        var codes = reader.ReadToEnd();

        // [MQTT-3.9.3-2] one reason code per topic filter, and a SUBSCRIBE has at least one.
        if (codes.IsEmpty)
        {
            error = DecodeError.ProtocolError("MQTT-3.9.3-2", "SUBACK without reason codes");
            return false;
        }

        var reasonCodes = new List<ReasonCode>(codes.Length);
        foreach (var code in codes)
        {
            var valid = version switch
            {
                ProtocolVersion.Mqtt310 => code <= 2,                       // 3.1: granted QoS only
                ProtocolVersion.Mqtt311 => code <= 2 || code == 0x80,       // 3.1.1 [MQTT-3.9.3-2]
                _ => ReasonCodeValidator.IsValid(PacketType.SubAck, code),  // 5.0 [MQTT-3.9.3-2]
            };
            if (!valid)
            {
                error = DecodeError.Malformed("MQTT-3.9.3-2", "SUBACK reason code not defined for this version");
                return false;
            }

            reasonCodes.Add((ReasonCode)code);
        }

        packet = new SubAckPacket { PacketId = packetId, ReasonCodes = reasonCodes, ReasonString = reasonString, UserProperties = userProperties };
        return true;
    }

    public int GetSize(ProtocolVersion version, bool includeDiagnostics = true) =>
        PropertySize.Packet(GetRemainingLength(version, includeDiagnostics, out _));

    public void Write(IBufferWriter<byte> output, ProtocolVersion version, bool includeDiagnostics = true)
    {
        var remainingLength = GetRemainingLength(version, includeDiagnostics, out var propertiesLength);
        var size = PropertySize.Packet(remainingLength);
        var writer = new PacketWriter(output.GetSpan(size));
        writer.WriteFixedHeader(PacketType.SubAck, 0, remainingLength);
        writer.WriteUInt16(PacketId);
        if (version == ProtocolVersion.Mqtt500)
        {
            writer.WriteVariableByteInteger(propertiesLength);
            DiagnosticProperties.Write(ref writer, ReasonString, UserProperties, includeDiagnostics);
        }

        foreach (var code in ReasonCodes)
        {
            writer.WriteByte(Encode(code, version));
        }

        writer.AssertComplete(PacketType.SubAck, size);
        output.Advance(size);
    }

    /// <summary>Writes within the peer's Maximum Packet Size, dropping Reason String and User Properties if needed.</summary>
    public bool TryWrite(IBufferWriter<byte> output, ProtocolVersion version, uint maximumPacketSize) =>
        PacketSizeLimit.TryWrite(this, output, version, maximumPacketSize);

    private static byte Encode(ReasonCode code, ProtocolVersion version)
    {
        var value = (byte)code;
        switch (version)
        {
            case ProtocolVersion.Mqtt500:
                if (!ReasonCodeValidator.IsValid(PacketType.SubAck, value))
                {
                    CodecThrowHelper.ThrowArgument("Not a SUBACK reason code.", nameof(code));
                }

                return value;
            case ProtocolVersion.Mqtt311:
                // 3.1.1 has a single failure code, 0x80.
                return value <= 2 ? value : (byte)0x80;
            default:
                if (value > 2)
                {
                    CodecThrowHelper.ThrowArgument("MQTT 3.1 SUBACK has no failure code: close the connection instead.", nameof(code));
                }

                return value;
        }
    }

    private int GetRemainingLength(ProtocolVersion version, bool includeDiagnostics, out int propertiesLength)
    {
        if (PacketId == 0 || ReasonCodes.Count == 0)
        {
            CodecThrowHelper.ThrowArgument("SUBACK needs a packet identifier and at least one reason code.", nameof(ReasonCodes));
        }

        propertiesLength = 0;
        var length = 2;                                                              // packet identifier
        if (version == ProtocolVersion.Mqtt500)
        {
            propertiesLength = DiagnosticProperties.GetLength(ReasonString, UserProperties, includeDiagnostics); // 0x1F, 0x26
            length += PropertySize.Block(propertiesLength);                          // property length + properties
        }

        return length + ReasonCodes.Count;                                           // one reason code per filter
    }
}
