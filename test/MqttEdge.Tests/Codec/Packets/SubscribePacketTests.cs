using Bifro.MqttEdge.Codec;
using Bifro.MqttEdge.Codec.Packets;
using Bifro.MqttEdge.Tests.Codec.Support;
using Xunit;
using static Bifro.MqttEdge.Tests.Codec.Support.Bytes;

namespace Bifro.MqttEdge.Tests.Codec.Packets;

public sealed class SubscribePacketTests
{
    // 3.1.1 section 3.8.3 example: "a/b" QoS 1, "c/d" QoS 2, packet id 10.
    private static readonly byte[] Subscribe311 =
        [0x82, 0x0E, 0x00, 0x0A, 0x00, 0x03, 0x61, 0x2F, 0x62, 0x01, 0x00, 0x03, 0x63, 0x2F, 0x64, 0x02];

    [Fact]
    public void Read_311Vector_DecodesFilters()
    {
        var packet = Assert.IsType<SubscribePacket>(PacketCodec.Read(Subscribe311, ProtocolVersion.Mqtt311));
        Assert.Equal(10, packet.PacketId);
        Assert.Equal(["a/b", "c/d"], packet.Subscriptions.Select(s => s.TopicFilter.Filter));
        Assert.Equal([QualityOfService.AtLeastOnce, QualityOfService.ExactlyOnce], packet.Subscriptions.Select(s => s.Options.MaximumQoS));
        Assert.Equal(Subscribe311, PacketCodec.Write(packet, ProtocolVersion.Mqtt311));
    }

    [Theory]
    [InlineData("a/#/b")]
    [InlineData("a+")]
    [InlineData("")]
    [InlineData("$share//a")]
    [InlineData("$share/g")]
    [InlineData("$share/g+/a")]
    public void TryRead_InvalidFilterSyntax_FlagsFilterButDecodesPacket(string bad)
    {
        var body = Concat(U16(1), B(0), S("ok/+"), B(1), S(bad), B(0));
        Assert.True(SubscribePacket.TryRead(0b0010, body, ProtocolVersion.Mqtt500, out var packet, out var error), error.ToString());
        Assert.True(packet!.Subscriptions[0].TopicFilter.IsValid);
        Assert.False(packet.Subscriptions[1].TopicFilter.IsValid);
        Assert.Equal(bad, packet.Subscriptions[1].TopicFilter.Filter);
    }

    [Fact]
    public void TryRead_SharedSubscription_ParsesGroupAndFilter()
    {
        var body = Concat(U16(1), B(0), S("$share/workers/jobs/+"), B(0b0010_1001));
        Assert.True(SubscribePacket.TryRead(0b0010, body, ProtocolVersion.Mqtt500, out var packet, out _));
        var subscription = packet!.Subscriptions[0];
        Assert.True(subscription.TopicFilter.IsShared);
        Assert.Equal("workers", subscription.TopicFilter.ShareName);
        Assert.Equal("jobs/+", subscription.TopicFilter.MatchFilter);
        Assert.Equal(new SubscriptionOptions(QualityOfService.AtLeastOnce, false, true, RetainHandling.DoNotSend), subscription.Options);
    }

    [Fact]
    public void TryRead_SubscriptionIdentifier_IsRead()
    {
        var body = Concat(U16(1), Props(B(0x0B), Vbi(268_435_455)), S("a"), B(0));
        Assert.True(SubscribePacket.TryRead(0b0010, body, ProtocolVersion.Mqtt500, out var packet, out _));
        Assert.Equal(268_435_455, packet!.SubscriptionIdentifier);
    }

    [Fact]
    public void Write_311_WritesQoSBitsOnly()
    {
        var packet = new SubscribePacket
        {
            PacketId = 1,
            Subscriptions = [new(TopicFilter.Parse("a"), new SubscriptionOptions(QualityOfService.AtLeastOnce, true, true, RetainHandling.DoNotSend))],
        };
        Assert.Equal(Packet(0x82, U16(1), S("a"), B(1)), PacketCodec.Write(packet, ProtocolVersion.Mqtt311));
        Assert.Equal(Packet(0x82, U16(1), B(0), S("a"), B(0b0010_1101)), PacketCodec.Write(packet, ProtocolVersion.Mqtt500));
    }
}
