using Bifro.MqttEdge.Codec;
using Bifro.MqttEdge.Codec.Packets;
using Bifro.MqttEdge.Tests.Codec.Support;
using Xunit;
using static Bifro.MqttEdge.Tests.Codec.Support.Bytes;

namespace Bifro.MqttEdge.Tests.Codec.Packets;

public sealed class DisconnectPacketTests
{
    [Fact]
    public void Write_Normal_IsTwoBytesInEveryVersion()
    {
        foreach (var version in SamplePackets.Versions)
        {
            Assert.Equal(DisconnectPacket.NormalBytes.ToArray(), PacketCodec.Write(new DisconnectPacket(ReasonCode.NormalDisconnection), version));
        }
    }

    [Fact]
    public void Write_50WithWill_IsReasonCodeOnly()
    {
        // Section 3.14.2.1: remaining length 1, no property length.
        Assert.Equal(B(0xE0, 0x01, 0x04), PacketCodec.Write(new DisconnectPacket(ReasonCode.DisconnectWithWillMessage), ProtocolVersion.Mqtt500));
    }

    [Fact]
    public void TryRead_50EmptyBody_IsNormalDisconnection()
    {
        Assert.True(DisconnectPacket.TryRead(0, [], ProtocolVersion.Mqtt500, out var packet, out _));
        Assert.Equal(ReasonCode.NormalDisconnection, packet.ReasonCode);
    }

    [Fact]
    public void TryRead_50SessionExpiryAndServerReference_AreRead()
    {
        var body = Concat(B(0x9D), Props(B(0x11), U32(30), B(0x1C), S("b:1883")));
        Assert.True(DisconnectPacket.TryRead(0, body, ProtocolVersion.Mqtt500, out var packet, out _));
        Assert.Equal(ReasonCode.ServerMoved, packet.ReasonCode);
        Assert.Equal(30u, packet.SessionExpiryInterval);
        Assert.Equal("b:1883", packet.ServerReference);
    }
}
