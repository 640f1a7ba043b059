using System.Buffers;
using Bifro.MqttEdge.Codec.Framing;
using Bifro.MqttEdge.Codec.Properties;

namespace Bifro.MqttEdge.Codec.Packets;

internal sealed partial class ConnAckPacket
{
    public int GetSize(ProtocolVersion version, bool includeDiagnostics = true) =>
        PropertySize.Packet(GetRemainingLength(version, includeDiagnostics, out _));

    public void Write(IBufferWriter<byte> output, ProtocolVersion version, bool includeDiagnostics = true)
    {
        var remainingLength = GetRemainingLength(version, includeDiagnostics, out var propertiesLength);
        var size = PropertySize.Packet(remainingLength);
        var writer = new PacketWriter(output.GetSpan(size));
        writer.WriteFixedHeader(PacketType.ConnAck, 0, remainingLength);

        // 3.1 has no session present bit; [MQTT-3.2.2-6] no session present with a failure.
        var sessionPresent = SessionPresent && version != ProtocolVersion.Mqtt310 && ReasonCode == ReasonCode.Success;
        writer.WriteByte((byte)(sessionPresent ? 1 : 0));
        if (version != ProtocolVersion.Mqtt500)
        {
            writer.WriteByte(ToReturnCode(ReasonCode));
        }
        else
        {
            writer.WriteByte((byte)ReasonCode);
            writer.WriteVariableByteInteger(propertiesLength);
            PropertyWriter.WriteUInt32(ref writer, PropertyId.SessionExpiryInterval, SessionExpiryInterval);
            PropertyWriter.WriteUInt16(ref writer, PropertyId.ReceiveMaximum, ReceiveMaximum);
            PropertyWriter.WriteByte(ref writer, PropertyId.MaximumQoS, (byte?)MaximumQoS);
            PropertyWriter.WriteBoolean(ref writer, PropertyId.RetainAvailable, RetainAvailable);
            PropertyWriter.WriteUInt32(ref writer, PropertyId.MaximumPacketSize, MaximumPacketSize);
            PropertyWriter.WriteString(ref writer, PropertyId.AssignedClientIdentifier, AssignedClientIdentifier);
            PropertyWriter.WriteUInt16(ref writer, PropertyId.TopicAliasMaximum, TopicAliasMaximum);
            PropertyWriter.WriteBoolean(ref writer, PropertyId.WildcardSubscriptionAvailable, WildcardSubscriptionAvailable);
            PropertyWriter.WriteBoolean(ref writer, PropertyId.SubscriptionIdentifierAvailable, SubscriptionIdentifiersAvailable);
            PropertyWriter.WriteBoolean(ref writer, PropertyId.SharedSubscriptionAvailable, SharedSubscriptionAvailable);
            PropertyWriter.WriteUInt16(ref writer, PropertyId.ServerKeepAlive, ServerKeepAlive);
            PropertyWriter.WriteString(ref writer, PropertyId.ResponseInformation, ResponseInformation);
            PropertyWriter.WriteString(ref writer, PropertyId.ServerReference, ServerReference);
            PropertyWriter.WriteString(ref writer, PropertyId.AuthenticationMethod, AuthenticationMethod);
            PropertyWriter.WriteBinary(ref writer, PropertyId.AuthenticationData, AuthenticationData);
            DiagnosticProperties.Write(ref writer, ReasonString, UserProperties, includeDiagnostics);
        }

        writer.AssertComplete(PacketType.ConnAck, size);
        output.Advance(size);
    }

    /// <summary>Writes within the client's Maximum Packet Size [MQTT-3.1.2-25], dropping Reason String and User Properties if needed.</summary>
    public bool TryWrite(IBufferWriter<byte> output, ProtocolVersion version, uint maximumPacketSize) =>
        PacketSizeLimit.TryWrite(this, output, version, maximumPacketSize);

    private int GetRemainingLength(ProtocolVersion version, bool includeDiagnostics, out int propertiesLength)
    {
        propertiesLength = 0;
        if (version != ProtocolVersion.Mqtt500)
        {
            return 2;                                                                    // flags + return code
        }

        if (MaximumQoS is > QualityOfService.AtLeastOnce)
        {
            CodecThrowHelper.ThrowArgumentOutOfRange(nameof(MaximumQoS), "Maximum QoS is sent only as 0 or 1.");
        }

        propertiesLength =
            PropertySize.UInt32(SessionExpiryInterval.HasValue)                          // 0x11 session expiry interval
            + PropertySize.UInt16(ReceiveMaximum.HasValue)                               // 0x21 receive maximum
            + PropertySize.Byte(MaximumQoS.HasValue)                                     // 0x24 maximum QoS
            + PropertySize.Byte(RetainAvailable.HasValue)                                // 0x25 retain available
            + PropertySize.UInt32(MaximumPacketSize.HasValue)                            // 0x27 maximum packet size
            + PropertySize.String(AssignedClientIdentifier)                              // 0x12 assigned client identifier
            + PropertySize.UInt16(TopicAliasMaximum.HasValue)                            // 0x22 topic alias maximum
            + PropertySize.Byte(WildcardSubscriptionAvailable.HasValue)                  // 0x28 wildcard subscription available
            + PropertySize.Byte(SubscriptionIdentifiersAvailable.HasValue)               // 0x29 subscription identifiers available
            + PropertySize.Byte(SharedSubscriptionAvailable.HasValue)                    // 0x2A shared subscription available
            + PropertySize.UInt16(ServerKeepAlive.HasValue)                              // 0x13 server keep alive
            + PropertySize.String(ResponseInformation)                                   // 0x1A response information
            + PropertySize.String(ServerReference)                                       // 0x1C server reference
            + PropertySize.String(AuthenticationMethod)                                  // 0x15 authentication method
            + PropertySize.Binary(AuthenticationData)                                    // 0x16 authentication data
            + DiagnosticProperties.GetLength(ReasonString, UserProperties, includeDiagnostics); // 0x1F, 0x26
        return 2 + PropertySize.Block(propertiesLength);                                 // flags + reason code + properties
    }
}
