using Bifro.MqttEdge.Codec;
using Bifro.MqttEdge.Codec.Packets;
using Bifro.MqttEdge.Tests.Codec.Support;
using Xunit;
using static Bifro.MqttEdge.Tests.Codec.Support.Bytes;

namespace Bifro.MqttEdge.Tests.Codec.Packets;

public sealed class AuthPacketTests
{
    [Fact]
    public void Write_SuccessWithoutProperties_IsShortForm()
    {
        Assert.Equal(B(0xF0, 0x00), PacketCodec.Write(new AuthPacket(), ProtocolVersion.Mqtt500));
    }

    [Fact]
    public void Read_ContinueWithMethodAndData_DecodesFields()
    {
        var bytes = Packet(0xF0, B(0x18), Props(B(0x15), S("SCRAM-SHA-1"), B(0x16), L(1, 2, 3)));
        var packet = Assert.IsType<AuthPacket>(PacketCodec.Read(bytes, ProtocolVersion.Mqtt500));
        Assert.Equal(ReasonCode.ContinueAuthentication, packet.ReasonCode);
        Assert.Equal("SCRAM-SHA-1", packet.AuthenticationMethod);
        Assert.Equal(new byte[] { 1, 2, 3 }, packet.AuthenticationData);
        Assert.Equal(bytes, PacketCodec.Write(packet, ProtocolVersion.Mqtt500));
    }

    [Fact]
    public void Write_311_Throws()
    {
        Assert.Throws<ArgumentException>(() => PacketCodec.Write(new AuthPacket(), ProtocolVersion.Mqtt311));
    }
}
