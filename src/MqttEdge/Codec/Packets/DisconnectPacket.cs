using System.Buffers;
using Bifro.MqttEdge.Codec.Framing;
using Bifro.MqttEdge.Codec.Properties;
using Bifro.MqttEdge.Codec.Validation;

namespace Bifro.MqttEdge.Codec.Packets;

/// <summary>
/// DISCONNECT (section 3.14).
/// <code>
/// 3.x   no body                                   remaining length 0
/// 5.0   no body: Normal disconnection (0x00)      remaining length 0
///       reason code (1)                           remaining length 1: no properties
///       reason code (1), property block           remaining length 2 or more
/// </code>
/// </summary>
internal readonly struct DisconnectPacket : IControlPacket
{
    public DisconnectPacket(ReasonCode reasonCode)
    {
        ReasonCode = reasonCode;
    }

    /// <summary>The 3.x DISCONNECT, and the shortest 5.0 one (Normal disconnection).</summary>
    public static ReadOnlySpan<byte> NormalBytes => [0xE0, 0x00];

    /// <summary>5.0 reason code; NormalDisconnection in 3.x.</summary>
    public ReasonCode ReasonCode { get; init; }

    /// <summary>Session Expiry Interval (0x11), null if absent.</summary>
    public uint? SessionExpiryInterval { get; init; }

    /// <summary>Reason String (0x1F), null if absent.</summary>
    public string? ReasonString { get; init; }

    /// <summary>User Properties (0x26), null if none.</summary>
    public List<UserProperty>? UserProperties { get; init; }

    /// <summary>Server Reference (0x1C), null if absent; with 0x9C/0x9D it tells the client where to go.</summary>
    public string? ServerReference { get; init; }

    /// <summary>
    /// Decodes a DISCONNECT body. An unknown reason code, a body in 3.x, or property syntax errors are
    /// MalformedPacket; repeated properties are ProtocolError.
    /// </summary>
    public static bool TryRead(byte flags, ReadOnlySpan<byte> body, ProtocolVersion version, out DisconnectPacket packet, out DecodeError error)
    {
        packet = default;
        if (!FixedHeaderFlags.TryValidate(PacketType.Disconnect, flags, version, out error))
        {
            return false;
        }

        if (version != ProtocolVersion.Mqtt500)
        {
            // Section 3.14 (3.1.1): "The DISCONNECT Packet has no variable header" and no payload.
            if (!body.IsEmpty)
            {
                error = DecodeError.Malformed("§3.14", "3.x DISCONNECT with a body");
                return false;
            }

            return true;
        }

        // §3.14.2.1: "If the Remaining Length is less than 1 the value of 0x00 (Normal disconnection) is used."
        if (body.IsEmpty)
        {
            return true;
        }

        var reader = new PacketReader(body);
        _ = reader.TryReadByte(out var code);

        // [MQTT-3.14.2-1] one of the DISCONNECT reason codes; another value is malformed.
        if (!ReasonCodeValidator.TryValidate(PacketType.Disconnect, code, out error))
        {
            return false;
        }

        uint? sessionExpiryInterval = null;
        string? reasonString = null;
        string? serverReference = null;
        List<UserProperty>? userProperties = null;

        // §3.14.2.2.1: "If the Remaining Length is less than 2, a value of 0 is used."
        if (!reader.IsEnd)
        {
            if (!reader.TryReadPropertyBlock(out var block))
            {
                error = reader.Error;
                return false;
            }

            var properties = new PropertyReader(block, PropertyContext.Disconnect);
            while (properties.TryRead(out var property))
            {
                switch (property.Id)
                {
                    case PropertyId.SessionExpiryInterval:
                        sessionExpiryInterval = property.Number;
                        break;
                    case PropertyId.ReasonString:
                        reasonString = PropertyReader.ToString(property.Data);
                        break;
                    case PropertyId.ServerReference:
                        serverReference = PropertyReader.ToString(property.Data);
                        break;
                    case PropertyId.UserProperty:
                        DiagnosticProperties.AddUserProperty(ref userProperties, property);
                        break;
                }
            }

            if (properties.Error.IsError)
            {
                error = properties.Error;
                return false;
            }
        }

        if (!reader.TryReadEnd())
        {
            error = reader.Error;
            return false;
        }

        packet = new DisconnectPacket((ReasonCode)code)
        {
            SessionExpiryInterval = sessionExpiryInterval,
            ReasonString = reasonString,
            UserProperties = userProperties,
            ServerReference = serverReference,
        };
        return true;
    }

    public int GetSize(ProtocolVersion version, bool includeDiagnostics = true) =>
        PropertySize.Packet(GetRemainingLength(version, includeDiagnostics, out _));

    public void Write(IBufferWriter<byte> output, ProtocolVersion version, bool includeDiagnostics = true)
    {
        var remainingLength = GetRemainingLength(version, includeDiagnostics, out var propertiesLength);
        var size = PropertySize.Packet(remainingLength);
        var writer = new PacketWriter(output.GetSpan(size));
        writer.WriteFixedHeader(PacketType.Disconnect, 0, remainingLength);
        if (remainingLength > 0)
        {
            writer.WriteByte((byte)ReasonCode);
            if (remainingLength > 1)
            {
                writer.WriteVariableByteInteger(propertiesLength);
                PropertyWriter.WriteUInt32(ref writer, PropertyId.SessionExpiryInterval, SessionExpiryInterval);
                PropertyWriter.WriteString(ref writer, PropertyId.ServerReference, ServerReference);
                DiagnosticProperties.Write(ref writer, ReasonString, UserProperties, includeDiagnostics);
            }
        }

        writer.AssertComplete(PacketType.Disconnect, size);
        output.Advance(size);
    }

    /// <summary>Writes within the peer's Maximum Packet Size, dropping Reason String and User Properties if needed.</summary>
    public bool TryWrite(IBufferWriter<byte> output, ProtocolVersion version, uint maximumPacketSize) =>
        PacketSizeLimit.TryWrite(this, output, version, maximumPacketSize);

    private int GetRemainingLength(ProtocolVersion version, bool includeDiagnostics, out int propertiesLength)
    {
        propertiesLength = 0;
        if (version != ProtocolVersion.Mqtt500)
        {
            return 0;                                                            // 3.x: no body
        }

        propertiesLength =
            PropertySize.UInt32(SessionExpiryInterval.HasValue)                  // 0x11 session expiry interval
            + PropertySize.String(ServerReference)                               // 0x1C server reference
            + DiagnosticProperties.GetLength(ReasonString, UserProperties, includeDiagnostics); // 0x1F, 0x26
        if (propertiesLength > 0)
        {
            return 1 + PropertySize.Block(propertiesLength);                     // reason code + properties
        }

        return ReasonCode == ReasonCode.NormalDisconnection ? 0 : 1;             // short forms of §3.14.2.1
    }
}
