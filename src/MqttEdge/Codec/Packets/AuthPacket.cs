using System.Buffers;
using Bifro.MqttEdge.Codec.Framing;
using Bifro.MqttEdge.Codec.Properties;
using Bifro.MqttEdge.Codec.Validation;

namespace Bifro.MqttEdge.Codec.Packets;

/// <summary>
/// AUTH (section 3.15), 5.0 only: a step of enhanced authentication. In 3.1 and 3.1.1 packet type 15
/// is reserved, so an AUTH is a Malformed Packet.
/// <code>
/// no body: Success (0x00), no properties                remaining length 0
/// reason code (1), property block                       otherwise
/// </code>
/// </summary>
internal sealed class AuthPacket : IControlPacket
{
    /// <summary>0x00 Success, 0x18 Continue authentication or 0x19 Re-authenticate.</summary>
    public ReasonCode ReasonCode { get; init; }

    /// <summary>Authentication Method (0x15); required whenever the packet has properties.</summary>
    public string? AuthenticationMethod { get; init; }

    /// <summary>Authentication Data (0x16), null if absent.</summary>
    public byte[]? AuthenticationData { get; init; }

    /// <summary>Reason String (0x1F), null if absent.</summary>
    public string? ReasonString { get; init; }

    /// <summary>User Properties (0x26), null if none.</summary>
    public List<UserProperty>? UserProperties { get; init; }

    /// <summary>
    /// Decodes an AUTH body. MalformedPacket in 3.x, for flags, unknown reason codes and syntax;
    /// ProtocolError for repeated properties, Authentication Data without Authentication Method, or
    /// properties without Authentication Method.
    /// </summary>
    public static bool TryRead(byte flags, ReadOnlySpan<byte> body, ProtocolVersion version, out AuthPacket? packet, out DecodeError error)
    {
        packet = null;

        // Section 2.1.2: packet type 15 is "Reserved" in 3.1.1 and does not exist in 3.1.
        if (version != ProtocolVersion.Mqtt500)
        {
            error = DecodeError.Malformed("§2.1.2", "packet type 15 is reserved before MQTT 5.0");
            return false;
        }

        if (!FixedHeaderFlags.TryValidate(PacketType.Auth, flags, version, out error))
        {
            return false;
        }

        // §3.15.2.1 "The Reason Code and Property Length can be omitted if the Reason Code is 0x00
        // (Success) and there are no Properties. In this case the AUTH has a Remaining Length of 0."
        if (body.IsEmpty)
        {
            packet = new AuthPacket { ReasonCode = ReasonCode.Success };
            return true;
        }

        var reader = new PacketReader(body);
        _ = reader.TryReadByte(out var code);

        // [MQTT-3.15.2-1] one of the Authenticate Reason Codes.
        if (!ReasonCodeValidator.TryValidate(PacketType.Auth, code, out error))
        {
            return false;
        }

        string? method = null;
        byte[]? data = null;
        string? reasonString = null;
        List<UserProperty>? userProperties = null;

        // A reason code alone (remaining length 1) is read as having no properties, as DISCONNECT does.
        if (!reader.IsEnd)
        {
            if (!reader.TryReadPropertyBlock(out var block))
            {
                error = reader.Error;
                return false;
            }

            var properties = new PropertyReader(block, PropertyContext.Auth);
            while (properties.TryRead(out var property))
            {
                switch (property.Id)
                {
                    case PropertyId.AuthenticationMethod:
                        method = PropertyReader.ToString(property.Data);
                        break;
                    case PropertyId.AuthenticationData:
                        data = property.Data.ToArray();
                        break;
                    case PropertyId.ReasonString:
                        reasonString = PropertyReader.ToString(property.Data);
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

            // §3.15.2.2.2 "It is a Protocol Error to omit the Authentication Method or to include it more than once."
            if (method is null)
            {
                error = DecodeError.ProtocolError("§3.15.2.2.2", "AUTH without Authentication Method");
                return false;
            }
        }

        if (!reader.TryReadEnd())
        {
            error = reader.Error;
            return false;
        }

        packet = new AuthPacket
        {
            ReasonCode = (ReasonCode)code,
            AuthenticationMethod = method,
            AuthenticationData = data,
            ReasonString = reasonString,
            UserProperties = userProperties,
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
        writer.WriteFixedHeader(PacketType.Auth, 0, remainingLength);
        if (remainingLength > 0)
        {
            writer.WriteByte((byte)ReasonCode);
            writer.WriteVariableByteInteger(propertiesLength);
            PropertyWriter.WriteString(ref writer, PropertyId.AuthenticationMethod, AuthenticationMethod);
            PropertyWriter.WriteBinary(ref writer, PropertyId.AuthenticationData, AuthenticationData);
            DiagnosticProperties.Write(ref writer, ReasonString, UserProperties, includeDiagnostics);
        }

        writer.AssertComplete(PacketType.Auth, size);
        output.Advance(size);
    }

    /// <summary>Writes within the peer's Maximum Packet Size, dropping Reason String and User Properties if needed.</summary>
    public bool TryWrite(IBufferWriter<byte> output, ProtocolVersion version, uint maximumPacketSize) =>
        PacketSizeLimit.TryWrite(this, output, version, maximumPacketSize);

    private int GetRemainingLength(ProtocolVersion version, bool includeDiagnostics, out int propertiesLength)
    {
        if (version != ProtocolVersion.Mqtt500)
        {
            CodecThrowHelper.ThrowArgument("AUTH exists only in MQTT 5.0.", nameof(version));
        }

        propertiesLength =
            PropertySize.String(AuthenticationMethod)                                // 0x15 authentication method
            + PropertySize.Binary(AuthenticationData)                                // 0x16 authentication data
            + DiagnosticProperties.GetLength(ReasonString, UserProperties, includeDiagnostics); // 0x1F, 0x26
        if (propertiesLength == 0 && ReasonCode == ReasonCode.Success)
        {
            return 0;                                                                // short form of §3.15.2.1
        }

        return 1 + PropertySize.Block(propertiesLength);                             // reason code + properties
    }
}
