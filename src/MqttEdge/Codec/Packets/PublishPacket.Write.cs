using System.Buffers;
using Bifro.MqttEdge.Codec.Framing;
using Bifro.MqttEdge.Codec.Properties;

namespace Bifro.MqttEdge.Codec.Packets;

internal readonly ref partial struct PublishPacket
{
    /// <summary>
    /// Exact size of the PUBLISH on the wire, fixed header included: what a server compares with the
    /// client's Maximum Packet Size before sending [MQTT-3.1.2-25].
    /// </summary>
    public static int GetSize(scoped in OutgoingPublish message) =>
        PropertySize.Packet(GetRemainingLength(message, out _));

    /// <summary>Writes the PUBLISH into <paramref name="output"/> (one GetSpan, one Advance) and returns its size.</summary>
    public static int Write(IBufferWriter<byte> output, scoped in OutgoingPublish message)
    {
        var size = GetSize(message);
        var written = Write(output.GetSpan(size), message);
        output.Advance(written);
        return written;
    }

    /// <summary>Writes the PUBLISH into <paramref name="destination"/> and returns its size.</summary>
    public static int Write(Span<byte> destination, scoped in OutgoingPublish message)
    {
        var remainingLength = GetRemainingLength(message, out var propertiesLength);
        var size = PropertySize.Packet(remainingLength);
        if (destination.Length < size)
        {
            CodecThrowHelper.ThrowDestinationTooSmall();
        }

        var qos = (int)message.QoS;
        var flags = (byte)((message.Dup ? DupFlag : 0) | (qos << 1) | (message.Retain ? RetainFlag : 0));
        var writer = new PacketWriter(destination);
        writer.WriteFixedHeader(PacketType.Publish, flags, remainingLength);
        writer.WriteBinary(message.Topic);
        if (qos > 0)
        {
            writer.WriteUInt16(message.PacketId);
        }

        if (message.Version == ProtocolVersion.Mqtt500)
        {
            writer.WriteVariableByteInteger(propertiesLength);
            PropertyWriter.WriteByte(ref writer, PropertyId.PayloadFormatIndicator, message.PayloadFormatIndicator);
            PropertyWriter.WriteUInt32(ref writer, PropertyId.MessageExpiryInterval, message.MessageExpiryInterval);
            if (message.TopicAlias != 0)
            {
                PropertyWriter.WriteUInt16(ref writer, PropertyId.TopicAlias, message.TopicAlias);
            }

            if (message.HasContentType)
            {
                PropertyWriter.WriteSpan(ref writer, PropertyId.ContentType, message.ContentType);
            }

            if (!message.ResponseTopic.IsEmpty)
            {
                PropertyWriter.WriteSpan(ref writer, PropertyId.ResponseTopic, message.ResponseTopic);
            }

            if (message.HasCorrelationData)
            {
                PropertyWriter.WriteSpan(ref writer, PropertyId.CorrelationData, message.CorrelationData);
            }

            foreach (var id in message.SubscriptionIdentifiers)
            {
                PropertyWriter.WriteVariableByteInteger(ref writer, PropertyId.SubscriptionIdentifier, id);
            }

            writer.WriteBytes(message.UserProperties);
        }

        writer.WriteBytes(message.Payload);
        writer.AssertComplete(PacketType.Publish, size);
        return size;
    }

    private static int GetRemainingLength(scoped in OutgoingPublish message, out int propertiesLength)
    {
        var qos = (int)message.QoS;

        // Caller bugs, not input errors: the broker never builds such a PUBLISH.
        if ((uint)qos > 2)
        {
            CodecThrowHelper.ThrowArgumentOutOfRange(nameof(message.QoS), "QoS is 0, 1 or 2.");
        }

        if (qos > 0 && message.PacketId == 0)
        {
            CodecThrowHelper.ThrowArgument("A PUBLISH with QoS > 0 needs a packet identifier [MQTT-2.2.1-3].", nameof(message.PacketId));
        }

        if (qos == 0 && message.Dup)
        {
            CodecThrowHelper.ThrowArgument("DUP must be 0 for QoS 0 [MQTT-3.3.1-2].", nameof(message.Dup));
        }

        var isV5 = message.Version == ProtocolVersion.Mqtt500;
        if (message.Topic.IsEmpty && (!isV5 || message.TopicAlias == 0))
        {
            CodecThrowHelper.ThrowArgument("An empty topic name needs a 5.0 topic alias.", nameof(message.Topic));
        }

        propertiesLength = 0;
        if (isV5)
        {
            propertiesLength =
                PropertySize.Byte(message.PayloadFormatIndicator.HasValue)         // 0x01 payload format indicator
                + PropertySize.UInt32(message.MessageExpiryInterval.HasValue)      // 0x02 message expiry interval
                + PropertySize.UInt16(message.TopicAlias != 0)                      // 0x23 topic alias
                + (message.HasContentType ? PropertySize.Span(message.ContentType) : 0)       // 0x03 content type
                + (message.ResponseTopic.IsEmpty ? 0 : PropertySize.Span(message.ResponseTopic)) // 0x08 response topic
                + (message.HasCorrelationData ? PropertySize.Span(message.CorrelationData) : 0) // 0x09 correlation data
                + message.UserProperties.Length;                                    // 0x26 entries, already encoded
            foreach (var id in message.SubscriptionIdentifiers)
            {
                if (id <= 0)
                {
                    CodecThrowHelper.ThrowArgumentOutOfRange(nameof(message.SubscriptionIdentifiers), "Subscription identifiers are 1 to 268,435,455.");
                }

                propertiesLength += PropertySize.VariableByteInteger(id);           // 0x0B subscription identifier
            }
        }

        if (message.Topic.Length > ushort.MaxValue)
        {
            CodecThrowHelper.ThrowStringTooLong(nameof(message.Topic));
        }

        return 2 + message.Topic.Length                         // topic name: length + UTF-8
            + (qos > 0 ? 2 : 0)                                 // packet identifier
            + (isV5 ? PropertySize.Block(propertiesLength) : 0) // property length + properties
            + message.Payload.Length;                           // payload
    }
}
