using System.Buffers;
using Bifro.MqttEdge.Codec.Framing;
using Bifro.MqttEdge.Codec.Properties;

namespace Bifro.MqttEdge.Codec.Packets;

internal sealed partial class ConnectPacket
{
    /// <summary>CONNECT has no Reason String: <paramref name="includeDiagnostics"/> is ignored.</summary>
    public int GetSize(ProtocolVersion version, bool includeDiagnostics = true) =>
        PropertySize.Packet(GetRemainingLength(version, out _, out _));

    /// <summary>Writes the CONNECT for <paramref name="version"/> (usually <see cref="Version"/>).</summary>
    public void Write(IBufferWriter<byte> output, ProtocolVersion version, bool includeDiagnostics = true)
    {
        var remainingLength = GetRemainingLength(version, out var propertiesLength, out var willPropertiesLength);
        var size = PropertySize.Packet(remainingLength);
        var isV5 = version == ProtocolVersion.Mqtt500;
        var writer = new PacketWriter(output.GetSpan(size));
        writer.WriteFixedHeader(PacketType.Connect, 0, remainingLength);
        writer.WriteBinary(version == ProtocolVersion.Mqtt310 ? MqIsdp : Mqtt);
        writer.WriteByte((byte)version);
        writer.WriteByte(GetConnectFlags());
        writer.WriteUInt16(KeepAlive);
        if (isV5)
        {
            writer.WriteVariableByteInteger(propertiesLength);
            PropertyWriter.WriteUInt32(ref writer, PropertyId.SessionExpiryInterval, SessionExpiryInterval);
            PropertyWriter.WriteUInt16(ref writer, PropertyId.ReceiveMaximum, ReceiveMaximum);
            PropertyWriter.WriteUInt32(ref writer, PropertyId.MaximumPacketSize, MaximumPacketSize);
            PropertyWriter.WriteUInt16(ref writer, PropertyId.TopicAliasMaximum, TopicAliasMaximum);
            PropertyWriter.WriteBoolean(ref writer, PropertyId.RequestResponseInformation, RequestResponseInformation);
            PropertyWriter.WriteBoolean(ref writer, PropertyId.RequestProblemInformation, RequestProblemInformation);
            PropertyWriter.WriteUserProperties(ref writer, UserProperties);
            PropertyWriter.WriteString(ref writer, PropertyId.AuthenticationMethod, AuthenticationMethod);
            PropertyWriter.WriteBinary(ref writer, PropertyId.AuthenticationData, AuthenticationData);
        }

        writer.WriteString(ClientId);
        if (Will is { } will)
        {
            if (isV5)
            {
                writer.WriteVariableByteInteger(willPropertiesLength);
                PropertyWriter.WriteUInt32(ref writer, PropertyId.WillDelayInterval, will.WillDelayInterval);
                PropertyWriter.WriteByte(ref writer, PropertyId.PayloadFormatIndicator, will.PayloadFormatIndicator);
                PropertyWriter.WriteUInt32(ref writer, PropertyId.MessageExpiryInterval, will.MessageExpiryInterval);
                PropertyWriter.WriteString(ref writer, PropertyId.ContentType, will.ContentType);
                PropertyWriter.WriteString(ref writer, PropertyId.ResponseTopic, will.ResponseTopic);
                PropertyWriter.WriteBinary(ref writer, PropertyId.CorrelationData, will.CorrelationData);
                PropertyWriter.WriteUserProperties(ref writer, will.UserProperties);
            }

            writer.WriteString(will.Topic);
            writer.WriteBinary(will.Payload);
        }

        if (UserName is not null)
        {
            writer.WriteString(UserName);
        }

        if (Password is not null)
        {
            writer.WriteBinary(Password);
        }

        writer.AssertComplete(PacketType.Connect, size);
        output.Advance(size);
    }

    private byte GetConnectFlags()
    {
        var flags = CleanStart ? CleanStartFlag : 0;
        if (Will is { } will)
        {
            flags |= WillFlag | ((int)will.QoS << 3) | (will.Retain ? WillRetainFlag : 0);
        }

        flags |= (UserName is not null ? UserNameFlag : 0) | (Password is not null ? PasswordFlag : 0);
        return (byte)flags;
    }

    private int GetRemainingLength(ProtocolVersion version, out int propertiesLength, out int willPropertiesLength)
    {
        var isV5 = version == ProtocolVersion.Mqtt500;
        if (!isV5 && Password is not null && UserName is null)
        {
            CodecThrowHelper.ThrowArgument("MQTT 3.x has no password without a user name [MQTT-3.1.2-22].", nameof(Password));
        }

        var length = version == ProtocolVersion.Mqtt310 ? 2 + 6 : 2 + 4;           // protocol name "MQIsdp" / "MQTT"
        length += 1                                                                  // protocol level
            + 1                                                                      // connect flags
            + 2;                                                                     // keep alive

        propertiesLength = 0;
        willPropertiesLength = 0;
        if (isV5)
        {
            propertiesLength =
                PropertySize.UInt32(SessionExpiryInterval.HasValue)                  // 0x11 session expiry interval
                + PropertySize.UInt16(ReceiveMaximum.HasValue)                       // 0x21 receive maximum
                + PropertySize.UInt32(MaximumPacketSize.HasValue)                    // 0x27 maximum packet size
                + PropertySize.UInt16(TopicAliasMaximum.HasValue)                    // 0x22 topic alias maximum
                + PropertySize.Byte(RequestResponseInformation.HasValue)             // 0x19 request response information
                + PropertySize.Byte(RequestProblemInformation.HasValue)              // 0x17 request problem information
                + PropertySize.UserProperties(UserProperties)                        // 0x26 user properties
                + PropertySize.String(AuthenticationMethod)                          // 0x15 authentication method
                + PropertySize.Binary(AuthenticationData);                           // 0x16 authentication data
            length += PropertySize.Block(propertiesLength);                          // property length + properties
        }

        length += 2 + PropertySize.StringBytes(ClientId);                            // client identifier
        if (Will is { } will)
        {
            if (isV5)
            {
                willPropertiesLength =
                    PropertySize.UInt32(will.WillDelayInterval.HasValue)             // 0x18 will delay interval
                    + PropertySize.Byte(will.PayloadFormatIndicator.HasValue)        // 0x01 payload format indicator
                    + PropertySize.UInt32(will.MessageExpiryInterval.HasValue)       // 0x02 message expiry interval
                    + PropertySize.String(will.ContentType)                          // 0x03 content type
                    + PropertySize.String(will.ResponseTopic)                        // 0x08 response topic
                    + PropertySize.Binary(will.CorrelationData)                      // 0x09 correlation data
                    + PropertySize.UserProperties(will.UserProperties);              // 0x26 user properties
                length += PropertySize.Block(willPropertiesLength);                  // will property length + properties
            }

            length += 2 + PropertySize.StringBytes(will.Topic)                       // will topic
                + 2 + will.Payload.Length;                                           // will payload
        }

        if (UserName is not null)
        {
            length += 2 + PropertySize.StringBytes(UserName);                        // user name
        }

        if (Password is not null)
        {
            length += 2 + Password.Length;                                           // password
        }

        return length;
    }
}
