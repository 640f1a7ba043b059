using System.Buffers;
using Bifro.MqttEdge.Codec;
using Bifro.MqttEdge.Codec.Framing;
using Bifro.MqttEdge.Codec.Packets;
using Bifro.MqttEdge.Tests.Codec.Support;
using Xunit;

namespace Bifro.MqttEdge.Tests.Codec.Packets;

public sealed class PacketDecoderTests
{
    [Theory]
    [MemberData(nameof(PacketRoundTripTests.CaseNames), MemberType = typeof(PacketRoundTripTests))]
    public void TryDecode_EverySamplePacket_Succeeds(string name)
    {
        var sample = SamplePackets.Get(name);
        var buffer = new ReadOnlySequence<byte>(PacketCodec.Write(sample.Packet, sample.Version));
        FrameReader.TryReadFrame(ref buffer, int.MaxValue, out var frame);

        Assert.True(PacketDecoder.TryDecode(frame, sample.Version, out var error), error.ToString());
        Assert.False(error.IsError);
    }

    [Fact]
    public void TryDecode_ConnectWithoutVersion_Succeeds()
    {
        var bytes = PacketCodec.Write(new ConnectPacket { ClientId = "c" }, ProtocolVersion.Mqtt311);
        var buffer = new ReadOnlySequence<byte>(bytes);
        FrameReader.TryReadFrame(ref buffer, int.MaxValue, out var frame);
        Assert.True(PacketDecoder.TryDecode(frame, null, out _));
    }

    [Fact]
    public void DecodeError_Default_IsNoError()
    {
        Assert.False(default(DecodeError).IsError);
        Assert.Equal("no error", default(DecodeError).ToString());
        Assert.Equal("0x81 [MQTT-1.5.5-1] x", DecodeError.Malformed("MQTT-1.5.5-1", "x").ToString());
    }
}
