using Bifro.MqttEdge.Codec;
using Bifro.MqttEdge.Codec.Packets;
using Bifro.MqttEdge.Tests.Codec.Support;
using Xunit;
using static Bifro.MqttEdge.Tests.Codec.Support.Bytes;

namespace Bifro.MqttEdge.Tests.Codec.Packets;

public sealed class UnsubscribePacketTests
{
    [Fact]
    public void Read_311Vector_DecodesFilters()
    {
        // 3.1.1 section 3.10.3 example: "a/b" and "c/d", packet id 10.
        byte[] bytes = [0xA2, 0x0C, 0x00, 0x0A, 0x00, 0x03, 0x61, 0x2F, 0x62, 0x00, 0x03, 0x63, 0x2F, 0x64];
        var packet = Assert.IsType<UnsubscribePacket>(PacketCodec.Read(bytes, ProtocolVersion.Mqtt311));
        Assert.Equal(10, packet.PacketId);
        Assert.Equal(["a/b", "c/d"], packet.TopicFilters.Select(f => f.Filter));
        Assert.Equal(bytes, PacketCodec.Write(packet, ProtocolVersion.Mqtt311));
    }

    [Fact]
    public void TryRead_InvalidFilterSyntax_FlagsFilterButDecodesPacket()
    {
        var body = Concat(U16(1), B(0), S("a/#/b"), S("$share/g/x"));
        Assert.True(UnsubscribePacket.TryRead(0b0010, body, ProtocolVersion.Mqtt500, out var packet, out _));
        Assert.False(packet!.TopicFilters[0].IsValid);
        Assert.True(packet.TopicFilters[1].IsShared);
    }

    [Fact]
    public void UnsubAck_311_IsPacketIdOnlyAnd50HasReasonCodes()
    {
        var packet = new UnsubAckPacket { PacketId = 7, ReasonCodes = [ReasonCode.Success, ReasonCode.NoSubscriptionExisted] };
        Assert.Equal(B(0xB0, 0x02, 0x00, 0x07), PacketCodec.Write(packet, ProtocolVersion.Mqtt311));
        Assert.Equal(B(0xB0, 0x05, 0x00, 0x07, 0x00, 0x00, 0x11), PacketCodec.Write(packet, ProtocolVersion.Mqtt500));
    }
}
