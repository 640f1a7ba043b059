using Bifro.MqttEdge.Codec;
using Bifro.MqttEdge.Codec.Packets;
using Bifro.MqttEdge.Tests.Codec.Support;
using Xunit;
using static Bifro.MqttEdge.Tests.Codec.Support.Bytes;

namespace Bifro.MqttEdge.Tests.Codec.Packets;

public sealed class ConnAckPacketTests
{
    [Theory]
    [InlineData(ReasonCode.Success, 0)]
    [InlineData(ReasonCode.UnsupportedProtocolVersion, 1)]
    [InlineData(ReasonCode.ClientIdentifierNotValid, 2)]
    [InlineData(ReasonCode.ServerUnavailable, 3)]
    [InlineData(ReasonCode.BadUserNameOrPassword, 4)]
    [InlineData(ReasonCode.NotAuthorized, 5)]
    [InlineData(ReasonCode.Banned, 5)]
    [InlineData(ReasonCode.ServerBusy, 3)]
    public void Write_311_MapsReasonCodeToReturnCode(ReasonCode reason, byte returnCode)
    {
        Assert.Equal(B(0x20, 0x02, 0x00, returnCode), PacketCodec.Write(new ConnAckPacket { ReasonCode = reason }, ProtocolVersion.Mqtt311));
    }

    [Fact]
    public void Write_31SessionPresent_IsNotWritten()
    {
        Assert.Equal(B(0x20, 0x02, 0x00, 0x00), PacketCodec.Write(new ConnAckPacket { SessionPresent = true }, ProtocolVersion.Mqtt310));
        Assert.Equal(B(0x20, 0x02, 0x01, 0x00), PacketCodec.Write(new ConnAckPacket { SessionPresent = true }, ProtocolVersion.Mqtt311));
    }

    [Fact]
    public void Write_50Minimal_HasEmptyPropertyBlock()
    {
        Assert.Equal(B(0x20, 0x03, 0x00, 0x84, 0x00), PacketCodec.Write(new ConnAckPacket { ReasonCode = ReasonCode.UnsupportedProtocolVersion }, ProtocolVersion.Mqtt500));
    }

    [Fact]
    public void TryRead_31ReservedFirstByte_IsIgnored()
    {
        Assert.True(ConnAckPacket.TryRead(0, B(0x01, 0x00), ProtocolVersion.Mqtt310, out var packet, out _));
        Assert.False(packet!.SessionPresent);
    }

    [Fact]
    public void TryWrite_TooLargeForClient_DropsReasonStringAndUserPropertiesOnly()
    {
        var packet = new ConnAckPacket
        {
            ReasonCode = ReasonCode.Success,
            AssignedClientIdentifier = "id",
            ReasonString = new string('x', 200),
            UserProperties = [new("a", new string('y', 200))],
        };
        var output = new System.Buffers.ArrayBufferWriter<byte>();
        Assert.True(packet.TryWrite(output, ProtocolVersion.Mqtt500, 64));
        var read = Assert.IsType<ConnAckPacket>(PacketCodec.Read(output.WrittenSpan.ToArray(), ProtocolVersion.Mqtt500));
        Assert.Equal("id", read.AssignedClientIdentifier);
        Assert.Null(read.ReasonString);
        Assert.Null(read.UserProperties);
    }
}
