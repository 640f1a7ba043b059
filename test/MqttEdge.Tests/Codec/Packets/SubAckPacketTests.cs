using Bifro.MqttEdge.Codec;
using Bifro.MqttEdge.Codec.Packets;
using Bifro.MqttEdge.Tests.Codec.Support;
using Xunit;
using static Bifro.MqttEdge.Tests.Codec.Support.Bytes;

namespace Bifro.MqttEdge.Tests.Codec.Packets;

public sealed class SubAckPacketTests
{
    [Fact]
    public void Write_311FailureCodes_BecomeX80()
    {
        var packet = new SubAckPacket { PacketId = 1, ReasonCodes = [ReasonCode.GrantedQoS1, ReasonCode.NotAuthorized, ReasonCode.TopicFilterInvalid] };
        Assert.Equal(Packet(0x90, U16(1), B(0x01, 0x80, 0x80)), PacketCodec.Write(packet, ProtocolVersion.Mqtt311));
        Assert.Equal(Packet(0x90, U16(1), B(0), B(0x01, 0x87, 0x8F)), PacketCodec.Write(packet, ProtocolVersion.Mqtt500));
    }

    [Fact]
    public void Write_31FailureCode_Throws()
    {
        // MQTT 3.1 has no failure return code: the server closes instead.
        var packet = new SubAckPacket { PacketId = 1, ReasonCodes = [ReasonCode.UnspecifiedError] };
        Assert.Throws<ArgumentException>(() => PacketCodec.Write(packet, ProtocolVersion.Mqtt310));
    }

    [Fact]
    public void TryWrite_TooLargeForPeer_DropsReasonString()
    {
        var packet = new SubAckPacket { PacketId = 1, ReasonCodes = [ReasonCode.GrantedQoS0], ReasonString = new string('r', 50) };
        var output = new System.Buffers.ArrayBufferWriter<byte>();
        Assert.True(packet.TryWrite(output, ProtocolVersion.Mqtt500, 10));
        Assert.Equal(Packet(0x90, U16(1), B(0), B(0)), output.WrittenSpan.ToArray());
    }
}
