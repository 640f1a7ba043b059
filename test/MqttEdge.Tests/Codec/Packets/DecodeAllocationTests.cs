using System.Buffers;
using Bifro.MqttEdge.Codec;
using Bifro.MqttEdge.Codec.Framing;
using Bifro.MqttEdge.Codec.Packets;
using Bifro.MqttEdge.Codec.Properties;
using Bifro.MqttEdge.Tests.Codec.Support;
using Xunit;

namespace Bifro.MqttEdge.Tests.Codec.Packets;

/// <summary>The hot path decodes without allocating: bytes allocated are measured, never time.</summary>
public sealed class DecodeAllocationTests
{
    private const int Rounds = 2_000;

    private static readonly byte[] Publish5 = PacketCodec.Write(
        new PublishMessage
        {
            QoS = QualityOfService.AtLeastOnce,
            PacketId = 42,
            Topic = "sensors/room-1/temperature",
            Payload = new byte[64],
            TopicAlias = 3,
            PayloadFormatIndicator = 1,
            MessageExpiryInterval = 60,
            ContentType = "application/json",
            ResponseTopic = "replies/1",
            CorrelationData = [1, 2, 3, 4],
            UserProperties = [new UserProperty("trace", "abc"), new UserProperty("k", "v")],
            SubscriptionIdentifiers = [5, 300],
        },
        ProtocolVersion.Mqtt500);

    private static readonly byte[] Publish311 = PacketCodec.Write(
        new PublishMessage { QoS = QualityOfService.AtLeastOnce, PacketId = 42, Topic = "a/b", Payload = new byte[64] },
        ProtocolVersion.Mqtt311);

    private static readonly byte[] PubAck5 = PacketCodec.Write(new PubAckPacket(42, ReasonCode.NoMatchingSubscribers), ProtocolVersion.Mqtt500);

    private static readonly byte[] PubAck5Short = PacketCodec.Write(new PubAckPacket(42), ProtocolVersion.Mqtt500);

    [Fact]
    public void DecodePublish50WithProperties_AllocatesNothing()
    {
        Assert.Equal(0, MeasureAllocations(static () => DecodePublish(Publish5, ProtocolVersion.Mqtt500)));
    }

    [Fact]
    public void DecodePublish311_AllocatesNothing()
    {
        Assert.Equal(0, MeasureAllocations(static () => DecodePublish(Publish311, ProtocolVersion.Mqtt311)));
    }

    [Fact]
    public void DecodePubAck_AllocatesNothing()
    {
        Assert.Equal(0, MeasureAllocations(static () => DecodePubAck(PubAck5) + DecodePubAck(PubAck5Short)));
    }

    [Fact]
    public void DecodeMultiSegmentPublish_AllocatesNothingAfterPoolWarmUp()
    {
        // The pooled copy comes from ArrayPool.Shared; once warm, renting allocates nothing.
        var segments = BufferSegment.Split(Publish5, 7);
        Assert.Equal(0, MeasureAllocations(() =>
        {
            var buffer = segments;
            FrameReader.TryReadFrame(ref buffer, int.MaxValue, out var frame);
            return PacketDecoder.TryDecode(frame, ProtocolVersion.Mqtt500, out _) ? 1 : 0;
        }));
    }

    private static long MeasureAllocations(Func<int> decode)
    {
        // Warm up: JIT tiers, static initialisation, pools.
        for (var i = 0; i < Rounds; i++)
        {
            decode();
        }

        var checksum = 0;
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < Rounds; i++)
        {
            checksum += decode();
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.True(checksum > 0);
        return allocated;
    }

    private static int DecodePublish(byte[] bytes, ProtocolVersion version)
    {
        var buffer = new ReadOnlySequence<byte>(bytes);
        if (FrameReader.TryReadFrame(ref buffer, 1 << 20, out var frame) != FrameStatus.Complete)
        {
            return 0;
        }

        var body = FrameReader.GetBodySpan(frame, out _);
        if (!PublishPacket.TryRead(frame.Flags, body, version, out var packet, out _))
        {
            return 0;
        }

        // Touch what a broker reads, including the wire-form user properties.
        Span<byte> users = stackalloc byte[64];
        var sum = packet.Topic.Length + packet.Payload.Length + packet.PacketId + packet.Properties.CopyUserPropertiesTo(users);
        foreach (var id in packet.Properties.SubscriptionIdentifiers)
        {
            sum += id;
        }

        return sum + (packet.Properties.MessageExpiryInterval is { } expiry ? (int)expiry : 0);
    }

    private static int DecodePubAck(byte[] bytes)
    {
        var buffer = new ReadOnlySequence<byte>(bytes);
        FrameReader.TryReadFrame(ref buffer, 1 << 20, out var frame);
        var body = FrameReader.GetBodySpan(frame, out _);
        return PubAckPacket.TryRead(frame.Flags, body, ProtocolVersion.Mqtt500, out var ack, out _) ? ack.PacketId : 0;
    }
}
