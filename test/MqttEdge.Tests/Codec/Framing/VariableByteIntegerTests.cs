using Bifro.MqttEdge.Codec.Framing;
using FsCheck;
using FsCheck.Fluent;
using Xunit;

namespace Bifro.MqttEdge.Tests.Codec.Framing;

public sealed class VariableByteIntegerTests
{
    [Theory]
    [InlineData(0, new byte[] { 0x00 })]
    [InlineData(127, new byte[] { 0x7F })]
    [InlineData(128, new byte[] { 0x80, 0x01 })]
    [InlineData(16_383, new byte[] { 0xFF, 0x7F })]
    [InlineData(16_384, new byte[] { 0x80, 0x80, 0x01 })]
    [InlineData(2_097_151, new byte[] { 0xFF, 0xFF, 0x7F })]
    [InlineData(2_097_152, new byte[] { 0x80, 0x80, 0x80, 0x01 })]
    [InlineData(268_435_455, new byte[] { 0xFF, 0xFF, 0xFF, 0x7F })]
    public void Write_SpecBoundaries_MatchesTable(int value, byte[] expected)
    {
        // The table of section 1.5.5.
        var buffer = new byte[4];
        var size = VariableByteInteger.Write(buffer, value);
        Assert.Equal(expected, buffer[..size]);
        Assert.Equal(expected.Length, VariableByteInteger.GetSize(value));

        Assert.Equal(VariableByteInteger.Status.Complete, VariableByteInteger.TryRead(expected, out var read, out var consumed));
        Assert.Equal(value, read);
        Assert.Equal(expected.Length, consumed);
    }

    [Fact]
    public void RandomValue_WriteThenRead_RoundTrips()
    {
        Prop.ForAll(Arb.From(Gen.Choose(0, VariableByteInteger.MaxValue)), value =>
        {
            var buffer = new byte[4];
            var size = VariableByteInteger.Write(buffer, value);
            return VariableByteInteger.TryRead(buffer.AsSpan(0, size), out var read, out var consumed) == VariableByteInteger.Status.Complete
                && read == value && consumed == size && size == VariableByteInteger.GetSize(value)
                // Every proper prefix is incomplete.
                && VariableByteInteger.TryRead(buffer.AsSpan(0, size - 1), out _, out _) == VariableByteInteger.Status.Incomplete;
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(5000));
    }

    [Theory]
    [InlineData(new byte[] { 0x80, 0x00 })]
    [InlineData(new byte[] { 0x81, 0x80, 0x00 })]
    [InlineData(new byte[] { 0xFF, 0xFF, 0xFF, 0xFF })]
    public void TryRead_NonMinimalOrTooLong_IsMalformed(byte[] encoded)
    {
        Assert.Equal(VariableByteInteger.Status.Malformed, VariableByteInteger.TryRead(encoded, out _, out _));
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(268_435_456)]
    public void GetSize_OutOfRange_Throws(int value)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => VariableByteInteger.GetSize(value));
    }
}
