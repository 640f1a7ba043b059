using System.Buffers;
using Bifro.MqttEdge.Codec;
using Bifro.MqttEdge.Codec.Packets;
using Bifro.MqttEdge.Codec.Properties;
using Bifro.MqttEdge.Tests.Codec.Support;
using Xunit;
using static Bifro.MqttEdge.Tests.Codec.Support.Bytes;

namespace Bifro.MqttEdge.Tests.Codec.Packets;

/// <summary>PUBACK, and through it the wire format PUBREC, PUBREL and PUBCOMP share (<see cref="PublishAckCodec"/>).</summary>
public sealed class PubAckPacketTests
{
    [Fact]
    public void Write_50Success_IsShortFormOfLength2()
    {
        Assert.Equal(B(0x40, 0x02, 0x00, 0x0A), PacketCodec.Write(new PubAckPacket(10), ProtocolVersion.Mqtt500));
    }

    [Fact]
    public void Write_50ReasonWithoutProperties_IsLength3()
    {
        Assert.Equal(B(0x40, 0x03, 0x00, 0x0A, 0x10), PacketCodec.Write(new PubAckPacket(10, ReasonCode.NoMatchingSubscribers), ProtocolVersion.Mqtt500));
    }

    [Fact]
    public void Write_311_IsPacketIdOnly()
    {
        Assert.Equal(B(0x40, 0x02, 0x00, 0x0A), PacketCodec.Write(new PubAckPacket(10, ReasonCode.QuotaExceeded), ProtocolVersion.Mqtt311));
    }

    [Theory]
    [InlineData(new byte[] { 0x00, 0x0A }, 0x00)]
    [InlineData(new byte[] { 0x00, 0x0A, 0x10 }, 0x10)]
    [InlineData(new byte[] { 0x00, 0x0A, 0x97, 0x00 }, 0x97)]
    public void TryRead_50ShortAndLongForms_ReadReasonCode(byte[] body, byte reason)
    {
        Assert.True(PubAckPacket.TryRead(0, body, ProtocolVersion.Mqtt500, out var packet, out var error), error.ToString());
        Assert.Equal(10, packet.PacketId);
        Assert.Equal((ReasonCode)reason, packet.ReasonCode);
        Assert.Null(packet.ReasonString);
        Assert.Null(packet.UserProperties);
    }

    [Fact]
    public void TryRead_PubRelWithDupFrom31Client_IsAccepted()
    {
        // MQTT 3.1 PUBREL is "QoS 1" and may carry DUP on a retry.
        Assert.True(PubRelPacket.TryRead(0b1010, U16(1), ProtocolVersion.Mqtt310, out _, out _));
        Assert.False(PubRelPacket.TryRead(0b1010, U16(1), ProtocolVersion.Mqtt311, out _, out _));
    }

    [Fact]
    public void Write_PubRel_HasFlags0010()
    {
        Assert.Equal(B(0x62, 0x02, 0x00, 0x01), PacketCodec.Write(new PubRelPacket(1), ProtocolVersion.Mqtt311));
    }

    [Fact]
    public void TryWrite_DiagnosticsTooLarge_DropsReasonStringAndUserProperties()
    {
        var packet = new PubAckPacket(1, ReasonCode.QuotaExceeded)
        {
            ReasonString = new string('x', 100),
            UserProperties = [new UserProperty("k", "v")],
        };
        var output = new ArrayBufferWriter<byte>();

        Assert.True(packet.TryWrite(output, ProtocolVersion.Mqtt500, maximumPacketSize: 20));

        Assert.Equal(B(0x40, 0x03, 0x00, 0x01, 0x97), output.WrittenSpan.ToArray());
    }

    [Fact]
    public void TryWrite_Fits_WritesWholePacket()
    {
        var packet = new PubAckPacket(1, ReasonCode.QuotaExceeded) { ReasonString = "q" };
        var output = new ArrayBufferWriter<byte>();
        Assert.True(packet.TryWrite(output, ProtocolVersion.Mqtt500, 1000));
        Assert.Equal(packet.GetSize(ProtocolVersion.Mqtt500), output.WrittenCount);
        Assert.Equal(B(0x40, 0x08, 0x00, 0x01, 0x97, 0x04, 0x1F, 0x00, 0x01, (byte)'q'), output.WrittenSpan.ToArray());
    }

    [Fact]
    public void TryWrite_EvenMinimalTooLarge_WritesNothing()
    {
        var output = new ArrayBufferWriter<byte>();
        Assert.False(new PubAckPacket(1, ReasonCode.QuotaExceeded).TryWrite(output, ProtocolVersion.Mqtt500, 4));
        Assert.Equal(0, output.WrittenCount);
    }
}
