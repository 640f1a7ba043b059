using Bifro.MqttEdge.Codec;
using Bifro.MqttEdge.Codec.Validation;
using Xunit;

namespace Bifro.MqttEdge.Tests.Codec.Validation;

public sealed class Utf8ValidatorTests
{
    [Theory]
    [InlineData(new byte[] { })]
    [InlineData(new byte[] { 0x61 })]
    [InlineData(new byte[] { 0xC3, 0xA9 })]                   // é
    [InlineData(new byte[] { 0xEF, 0xBB, 0xBF })]             // U+FEFF, allowed [MQTT-1.5.4-3]
    [InlineData(new byte[] { 0xF0, 0x9F, 0x98, 0x80 })]       // U+1F600
    public void TryValidate_WellFormed_Succeeds(byte[] utf8)
    {
        Assert.True(Utf8Validator.TryValidate(utf8, out var error));
        Assert.False(error.IsError);
    }

    [Theory]
    [InlineData(new byte[] { 0xED, 0xA0, 0x80 })]             // U+D800, a surrogate
    [InlineData(new byte[] { 0xED, 0xBF, 0xBF })]             // U+DFFF
    [InlineData(new byte[] { 0xC0, 0x80 })]                   // overlong U+0000
    [InlineData(new byte[] { 0xC3 })]                         // truncated sequence
    [InlineData(new byte[] { 0xFF })]
    [InlineData(new byte[] { 0xF4, 0x90, 0x80, 0x80 })]       // past U+10FFFF
    public void TryValidate_IllFormedOrSurrogate_IsMalformed(byte[] utf8)
    {
        // [MQTT-1.5.4-1]
        Assert.False(Utf8Validator.TryValidate(utf8, out var error));
        Assert.Equal(ReasonCode.MalformedPacket, error.ReasonCode);
        Assert.Equal("MQTT-1.5.4-1", error.Statement);
    }

    [Fact]
    public void TryValidate_NullCharacter_IsMalformed()
    {
        // [MQTT-1.5.4-2]
        Assert.False(Utf8Validator.TryValidate("a\0b"u8, out var error));
        Assert.Equal(ReasonCode.MalformedPacket, error.ReasonCode);
        Assert.Equal("MQTT-1.5.4-2", error.Statement);
    }
}
