using System.Buffers;
using Bifro.MqttEdge.Codec;
using Bifro.MqttEdge.Codec.Framing;
using Bifro.MqttEdge.Tests.Codec.Support;
using FsCheck;
using FsCheck.Fluent;
using Xunit;

namespace Bifro.MqttEdge.Tests.Codec.Packets;

/// <summary>Every packet type, per version, with every property: write → read → equal → write → same bytes.</summary>
public sealed class PacketRoundTripTests
{
    public static TheoryData<string> CaseNames => new(SamplePackets.All.Select(c => c.Name));

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void Packet_WrittenThenRead_EqualsAndRewritesSameBytes(string name)
    {
        var sample = SamplePackets.Get(name);
        AssertRoundTrip(sample);
    }

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void Packet_EveryPrefix_IsIncompleteAndConsumesNothing(string name)
    {
        var sample = SamplePackets.Get(name);
        var bytes = PacketCodec.Write(sample.Packet, sample.Version);
        for (var length = 0; length < bytes.Length; length++)
        {
            var sequence = new ReadOnlySequence<byte>(bytes, 0, length);
            var status = FrameReader.TryReadFrame(ref sequence, int.MaxValue, out _);
            Assert.Equal(FrameStatus.Incomplete, status);
            Assert.Equal(length, sequence.Length);
        }
    }

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void Packet_EveryTwoSegmentSplit_DecodesTheSame(string name)
    {
        var sample = SamplePackets.Get(name);
        var bytes = PacketCodec.Write(sample.Packet, sample.Version);
        var expected = PacketCodec.Read(bytes, sample.Version);
        for (var at = 0; at <= bytes.Length; at++)
        {
            var sequence = BufferSegment.Split(bytes, at);
            Assert.Equal(FrameStatus.Complete, FrameReader.TryReadFrame(ref sequence, int.MaxValue, out var frame));
            Assert.True(sequence.IsEmpty);
            Assert.Equal(bytes.Length, frame.TotalLength);
            var decoded = PacketCodec.Read(frame, sample.Version, out var error);
            Assert.True(decoded is not null, $"split at {at}: {error}");
            Assert.Equivalent(expected, decoded, strict: true);
        }
    }

    [Fact]
    public void RandomPackets_EveryVersion_RoundTrip()
    {
        // FsCheck drives the seed; RandomPackets builds a valid packet of a random type from it.
        var seeds = Gen.Choose(0, int.MaxValue).Zip(Gen.Elements(SamplePackets.Versions));
        Prop.ForAll(Arb.From(seeds), input =>
        {
            var (seed, version) = input;
            var sample = new RandomPackets(new Random(seed), version).Next();
            AssertRoundTrip(sample);
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(2000));
    }

    [Fact]
    public void RandomPublish_EveryVersion_RoundTrips()
    {
        var generator =
            from qos in Gen.Elements(QualityOfService.AtMostOnce, QualityOfService.AtLeastOnce, QualityOfService.ExactlyOnce)
            from retain in Gen.Elements(true, false)
            from dup in Gen.Elements(true, false)
            from packetId in Gen.Choose(1, 65535)
            from levels in Gen.Choose(1, 5).SelectMany(n => Gen.ArrayOf(Gen.Elements("a", "bb", "", "é", "日本", "😀", "$SYS"), n))
            from payload in Gen.ArrayOf(Gen.Choose(0, 255).Select(b => (byte)b))
            from version in Gen.Elements(SamplePackets.Versions)
            from expiry in Gen.Elements<uint?>(null, 0, 1, uint.MaxValue)
            from subscriptionIds in Gen.ArrayOf(Gen.Choose(1, 268_435_455))
            select (version, new PublishMessage
            {
                QoS = qos,
                Retain = retain,
                Dup = dup && qos != QualityOfService.AtMostOnce,
                PacketId = qos == QualityOfService.AtMostOnce ? (ushort)0 : (ushort)packetId,
                Topic = string.Join('/', levels) is { Length: > 0 } topic ? topic : "t",
                Payload = payload,
                MessageExpiryInterval = version == ProtocolVersion.Mqtt500 ? expiry : null,
                SubscriptionIdentifiers = version == ProtocolVersion.Mqtt500 ? [.. subscriptionIds] : [],
            });

        Prop.ForAll(Arb.From(generator), input =>
        {
            var (version, message) = input;
            AssertRoundTrip(new PacketCase("publish", version, message));
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(1000));
    }

    internal static void AssertRoundTrip(PacketCase sample)
    {
        var bytes = PacketCodec.Write(sample.Packet, sample.Version);
        var decoded = PacketCodec.Read(bytes, sample.Version);
        Assert.Equivalent(sample.Packet, decoded, strict: true);
        var again = PacketCodec.Write(decoded, sample.Version);
        Assert.Equal(Bytes.Hex(bytes), Bytes.Hex(again));
    }
}
