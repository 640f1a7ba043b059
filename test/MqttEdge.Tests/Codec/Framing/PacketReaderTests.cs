using Bifro.MqttEdge.Codec;
using Bifro.MqttEdge.Codec.Framing;
using Xunit;
using static Bifro.MqttEdge.Tests.Codec.Support.Bytes;

namespace Bifro.MqttEdge.Tests.Codec.Framing;

public sealed class PacketReaderTests
{
    [Fact]
    public void TryRead_EveryType_ReadsBigEndianValues()
    {
        var data = Concat(B(0x7F), U16(0x1234), U32(0xDEADBEEF), Vbi(321), S("hé"), L(0, 1, 2), B(9, 9));
        var reader = new PacketReader(data);

        Assert.True(reader.TryReadByte(out var b));
        Assert.True(reader.TryReadUInt16(out var u16));
        Assert.True(reader.TryReadUInt32(out var u32));
        Assert.True(reader.TryReadVariableByteInteger(out var vbi));
        Assert.True(reader.TryReadUtf8String(out var text));
        Assert.True(reader.TryReadBinary(out var binary));
        var rest = reader.ReadToEnd();

        Assert.Equal(0x7F, b);
        Assert.Equal(0x1234, u16);
        Assert.Equal(0xDEADBEEF, u32);
        Assert.Equal(321, vbi);
        Assert.Equal("hé"u8.ToArray(), text.ToArray());
        Assert.Equal(new byte[] { 0, 1, 2 }, binary.ToArray());
        Assert.Equal(new byte[] { 9, 9 }, rest.ToArray());
        Assert.True(reader.IsEnd);
    }

    [Fact]
    public void TryReadBinary_LengthPastEnd_FailsMalformed()
    {
        var reader = new PacketReader(B(0x00, 0x05, 1, 2));
        Assert.False(reader.TryReadBinary(out _));
        Assert.Equal(ReasonCode.MalformedPacket, reader.Error.ReasonCode);
    }

    [Fact]
    public void TryReadUtf8String_Overlong_FailsMalformed()
    {
        // C0 AF is an overlong '/'.
        var reader = new PacketReader(L(0xC0, 0xAF));
        Assert.False(reader.TryReadUtf8String(out _));
        Assert.Equal("MQTT-1.5.4-1", reader.Error.Statement);
    }

    [Fact]
    public void TryReadUInt32_Truncated_FailsWithoutThrowing()
    {
        var reader = new PacketReader(B(1, 2, 3));
        Assert.False(reader.TryReadUInt32(out _));
        Assert.True(reader.Error.IsError);
        Assert.Equal(0, reader.Position);
    }
}
