using Bifro.MqttEdge.Codec.Framing;
using Bifro.MqttEdge.Codec.Properties;
using Bifro.MqttEdge.Codec.Validation;

namespace Bifro.MqttEdge.Codec.Packets;

/// <summary>
/// PUBLISH (section 3.3), the hot path: a view over the frame body that decodes without allocating.
/// The spans are valid as long as the body is (until the input is advanced or the pooled copy returned).
/// <code>
/// fixed header  0011 DUP QoS(2) RETAIN
/// topic name    UTF-8 string (may be empty in 5.0 when a Topic Alias is present)
/// packet id     two byte integer, only when QoS &gt; 0
/// properties    5.0 only: variable byte integer length, then properties
/// payload       the rest, possibly empty
/// </code>
/// Writing is <see cref="GetSize"/> / <see cref="Write(System.Buffers.IBufferWriter{byte}, in OutgoingPublish)"/>
/// from an <see cref="OutgoingPublish"/>.
/// </summary>
internal readonly ref partial struct PublishPacket
{
    private const byte DupFlag = 0b1000;
    private const byte RetainFlag = 0b0001;

    private PublishPacket(
        ReadOnlySpan<byte> topic, ushort packetId, QualityOfService qos, bool retain, bool dup,
        ReadOnlySpan<byte> payload, PublishProperties properties)
    {
        Topic = topic;
        PacketId = packetId;
        QoS = qos;
        Retain = retain;
        Dup = dup;
        Payload = payload;
        Properties = properties;
    }

    /// <summary>Topic name, validated UTF-8 without wildcards; empty when a 5.0 Topic Alias stands for it.</summary>
    public ReadOnlySpan<byte> Topic { get; }

    /// <summary>Packet identifier, non-zero when QoS &gt; 0, else 0.</summary>
    public ushort PacketId { get; }

    public QualityOfService QoS { get; }

    public bool Retain { get; }

    public bool Dup { get; }

    /// <summary>Application message, opaque bytes.</summary>
    public ReadOnlySpan<byte> Payload { get; }

    /// <summary>5.0 properties; empty in 3.x.</summary>
    public PublishProperties Properties { get; }

    /// <summary>
    /// Decodes a PUBLISH body. Errors: MalformedPacket for QoS 3, DUP with QoS 0, bad UTF-8 or lengths
    /// and property syntax; ProtocolError for packet id 0, an empty topic without alias and property
    /// rules; TopicNameInvalid for a wildcard in the topic.
    /// </summary>
    public static bool TryRead(
        byte flags, ReadOnlySpan<byte> body, ProtocolVersion version, out PublishPacket packet, out DecodeError error)
    {
        packet = default;
        var qos = (flags >> 1) & 0b11;

        // [MQTT-3.3.1-4] A PUBLISH packet MUST NOT have both QoS bits set to 1: a Malformed Packet.
        if (qos == 3)
        {
            error = DecodeError.Malformed("MQTT-3.3.1-4", "PUBLISH with QoS 3");
            return false;
        }

        var dup = (flags & DupFlag) != 0;

        // [MQTT-3.3.1-2] The DUP flag MUST be set to 0 for all QoS 0 messages.
        if (dup && qos == 0)
        {
            error = DecodeError.Malformed("MQTT-3.3.1-2", "PUBLISH with DUP set and QoS 0");
            return false;
        }

        var reader = new PacketReader(body);

        // [MQTT-3.3.2-1] The Topic Name MUST be present and be a UTF-8 Encoded String.
        if (!reader.TryReadUtf8String(out var topic))
        {
            error = reader.Error with { Field = DecodeField.TopicName };
            return false;
        }

        ushort packetId = 0;
        if (qos > 0)
        {
            if (!reader.TryReadUInt16(out packetId))
            {
                error = reader.Error;
                return false;
            }

            // [MQTT-2.2.1-3] A PUBLISH with QoS > 0 carries a non-zero Packet Identifier.
            if (packetId == 0)
            {
                error = DecodeError.ProtocolError("MQTT-2.2.1-3", "PUBLISH with QoS > 0 and packet identifier 0");
                return false;
            }
        }

        PublishProperties properties = default;
        if (version == ProtocolVersion.Mqtt500)
        {
            if (!reader.TryReadPropertyBlock(out var block))
            {
                error = reader.Error;
                return false;
            }

            if (!PublishProperties.TryRead(block, out properties, out error))
            {
                return false;
            }
        }

        if (topic.IsEmpty)
        {
            // §3.3.2.3.4 "It is a Protocol Error if the Topic Name is zero length and there is no Topic
            // Alias"; in 3.x a topic name is never empty [MQTT-4.7.3-1].
            if (properties.TopicAlias == 0)
            {
                error = DecodeError.ProtocolError("MQTT-4.7.3-1", "empty topic name without topic alias");
                return false;
            }
        }
        else if (topic.ContainsAny((byte)'+', (byte)'#'))
        {
            // [MQTT-3.3.2-2] The Topic Name in the PUBLISH packet MUST NOT contain wildcard characters.
            error = DecodeError.TopicNameInvalid("MQTT-3.3.2-2", "wildcard in PUBLISH topic name");
            return false;
        }

        var payload = reader.ReadToEnd();
        packet = new PublishPacket(topic, packetId, (QualityOfService)qos, (flags & RetainFlag) != 0, dup, payload, properties);
        error = default;
        return true;
    }
}
