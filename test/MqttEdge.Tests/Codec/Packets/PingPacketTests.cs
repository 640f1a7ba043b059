using Bifro.MqttEdge.Codec;
using Bifro.MqttEdge.Codec.Packets;
using Xunit;

namespace Bifro.MqttEdge.Tests.Codec.Packets;

/// <summary>PINGREQ and PINGRESP, the two constant packets.</summary>
public sealed class PingPacketTests
{
    [Fact]
    public void Bytes_AreTheSpecConstants()
    {
        Assert.Equal(new byte[] { 0xC0, 0x00 }, PingReqPacket.Bytes.ToArray());
        Assert.Equal(new byte[] { 0xD0, 0x00 }, PingRespPacket.Bytes.ToArray());
    }

    [Fact]
    public void TryRead_EmptyBody_Succeeds()
    {
        Assert.True(PingReqPacket.TryRead(0, [], ProtocolVersion.Mqtt311, out _));
        Assert.True(PingRespPacket.TryRead(0, [], ProtocolVersion.Mqtt500, out _));
    }
}
