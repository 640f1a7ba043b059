using System.Buffers;
using Bifro.MqttEdge.Codec;
using Bifro.MqttEdge.Codec.Packets;
using Bifro.MqttEdge.Codec.Properties;
using Bifro.MqttEdge.Tests.Codec.Support;
using Xunit;
using static Bifro.MqttEdge.Tests.Codec.Support.Bytes;

namespace Bifro.MqttEdge.Tests.Codec.Packets;

public sealed class PublishPacketTests
{
    // 3.1.1 PUBLISH QoS 1, topic "a/b", packet id 10, payload "hi".
    private static readonly byte[] Publish311 = [0x32, 0x09, 0x00, 0x03, 0x61, 0x2F, 0x62, 0x00, 0x0A, 0x68, 0x69];

    // 5.0 PUBLISH QoS 1 retain, topic "a/b", packet id 10, Payload Format Indicator 1, Topic Alias 5, payload "hi".
    private static readonly byte[] Publish5 = [0x33, 0x0F, 0x00, 0x03, 0x61, 0x2F, 0x62, 0x00, 0x0A, 0x05, 0x01, 0x01, 0x23, 0x00, 0x05, 0x68, 0x69];

    [Fact]
    public void TryRead_311QoS1Vector_DecodesFields()
    {
        Assert.True(PublishPacket.TryRead(0x02, Publish311.AsSpan(2), ProtocolVersion.Mqtt311, out var packet, out var error), error.ToString());
        Assert.Equal("a/b"u8.ToArray(), packet.Topic.ToArray());
        Assert.Equal(10, packet.PacketId);
        Assert.Equal(QualityOfService.AtLeastOnce, packet.QoS);
        Assert.False(packet.Retain);
        Assert.False(packet.Dup);
        Assert.Equal("hi"u8.ToArray(), packet.Payload.ToArray());
        Assert.True(packet.Properties.Encoded.IsEmpty);

        var message = new PublishMessage { QoS = QualityOfService.AtLeastOnce, PacketId = 10, Topic = "a/b", Payload = "hi"u8.ToArray() };
        Assert.Equal(Publish311, PacketCodec.Write(message, ProtocolVersion.Mqtt311));
    }

    [Fact]
    public void TryRead_50VectorWithProperties_DecodesFields()
    {
        Assert.True(PublishPacket.TryRead(0x03, Publish5.AsSpan(2), ProtocolVersion.Mqtt500, out var packet, out var error), error.ToString());
        Assert.True(packet.Retain);
        Assert.Equal((byte)1, packet.Properties.PayloadFormatIndicator);
        Assert.Equal(5, packet.Properties.TopicAlias);
        Assert.Equal("hi"u8.ToArray(), packet.Payload.ToArray());

        var message = new PublishMessage
        {
            QoS = QualityOfService.AtLeastOnce, Retain = true, PacketId = 10, Topic = "a/b",
            PayloadFormatIndicator = 1, TopicAlias = 5, Payload = "hi"u8.ToArray(),
        };
        Assert.Equal(Publish5, PacketCodec.Write(message, ProtocolVersion.Mqtt500));
    }

    [Fact]
    public void TryRead_EmptyTopicWithAlias_IsAccepted()
    {
        var body = Concat(S(""), Props(B(0x23), U16(9)));
        Assert.True(PublishPacket.TryRead(0, body, ProtocolVersion.Mqtt500, out var packet, out _));
        Assert.True(packet.Topic.IsEmpty);
        Assert.Equal(9, packet.Properties.TopicAlias);
    }

    [Fact]
    public void TryRead_ClientSentSubscriptionIdentifier_IsVisibleToServer()
    {
        // [MQTT-3.3.4-6] a client must not send one; the server sees the count and answers 0x82.
        var body = Concat(S("a"), Props(B(0x0B, 7)));
        Assert.True(PublishPacket.TryRead(0, body, ProtocolVersion.Mqtt500, out var packet, out _));
        Assert.Equal(1, packet.Properties.SubscriptionIdentifierCount);
    }

    [Fact]
    public void TryRead_311PropertiesAreNotParsed()
    {
        // In 3.1.1 the byte after the topic is payload, not a property length.
        Assert.True(PublishPacket.TryRead(0, Concat(S("a"), B(0x05, 0x01)), ProtocolVersion.Mqtt311, out var packet, out _));
        Assert.Equal(new byte[] { 0x05, 0x01 }, packet.Payload.ToArray());
    }

    [Fact]
    public void GetSize_FullMessage_EqualsBytesWritten()
    {
        var userProperties = UserPropertyEncoding.Encode([new UserProperty("k", "v")]);
        var message = new OutgoingPublish
        {
            Version = ProtocolVersion.Mqtt500,
            QoS = QualityOfService.ExactlyOnce,
            PacketId = 3,
            Topic = "t/1"u8,
            TopicAlias = 2,
            PayloadFormatIndicator = 0,
            MessageExpiryInterval = 100,
            ContentType = "c"u8,
            HasContentType = true,
            ResponseTopic = "r"u8,
            CorrelationData = [1],
            HasCorrelationData = true,
            UserProperties = userProperties,
            SubscriptionIdentifiers = [1, 300],
            Payload = new byte[200],
        };
        var output = new ArrayBufferWriter<byte>();
        var written = PublishPacket.Write(output, message);
        Assert.Equal(PublishPacket.GetSize(message), written);
        Assert.Equal(written, output.WrittenCount);
    }

    [Fact]
    public void Write_ForwardedUserProperties_PassThroughUnparsed()
    {
        // A broker copies a publisher's user properties in wire form into the subscriber's PUBLISH.
        var incoming = Concat(S("in"), Props(B(0x26), S("a"), S("1"), B(0x02), U32(5), B(0x26), S("b"), S("2")), B(9));
        Assert.True(PublishPacket.TryRead(0, incoming, ProtocolVersion.Mqtt500, out var packet, out _));
        Span<byte> users = stackalloc byte[packet.Properties.UserPropertiesLength];
        packet.Properties.CopyUserPropertiesTo(users);

        var output = new ArrayBufferWriter<byte>();
        PublishPacket.Write(output, new OutgoingPublish { Version = ProtocolVersion.Mqtt500, Topic = "out"u8, UserProperties = users, Payload = packet.Payload });

        var forwarded = Assert.IsType<PublishMessage>(PacketCodec.Read(output.WrittenSpan.ToArray(), ProtocolVersion.Mqtt500));
        Assert.Equal([new UserProperty("a", "1"), new UserProperty("b", "2")], forwarded.UserProperties);
    }

    [Fact]
    public void Write_QoS1WithoutPacketId_Throws()
    {
        Assert.Throws<ArgumentException>(() => PublishPacket.GetSize(new OutgoingPublish { QoS = QualityOfService.AtLeastOnce, Topic = "a"u8 }));
    }

    [Fact]
    public void Write_EmptyTopicWithoutAlias_Throws()
    {
        Assert.Throws<ArgumentException>(() => PublishPacket.GetSize(new OutgoingPublish { Version = ProtocolVersion.Mqtt500 }));
    }

    [Fact]
    public void Write_311_IgnoresProperties()
    {
        var message = new OutgoingPublish { Version = ProtocolVersion.Mqtt311, Topic = "a"u8, TopicAlias = 4, MessageExpiryInterval = 9, Payload = [1] };
        var output = new ArrayBufferWriter<byte>();
        PublishPacket.Write(output, message);
        Assert.Equal(Packet(0x30, S("a"), B(1)), output.WrittenSpan.ToArray());
    }
}
