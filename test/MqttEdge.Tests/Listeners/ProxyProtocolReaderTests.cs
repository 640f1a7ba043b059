using System.Buffers;
using System.Net;
using System.Text;
using Bifro.MqttEdge.Listeners;
using Bifro.MqttEdge.Tests.Codec.Support;
using Xunit;

namespace Bifro.MqttEdge.Tests.Listeners;

public sealed class ProxyProtocolReaderTests
{
    private static readonly byte[] Signature = [0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A];

    /// <summary>What follows the header: the client's first MQTT bytes, which must stay unread.</summary>
    private static readonly byte[] After = [0x10, 0x0C];

    public static TheoryData<string, byte[], string?> ValidHeaders => new()
    {
        { "v1 TCP4", Ascii("PROXY TCP4 203.0.113.7 192.0.2.1 40001 1883\r\n"), "203.0.113.7:40001" },
        { "v1 TCP6", Ascii("PROXY TCP6 2001:db8::5 2001:db8::1 40002 8883\r\n"), "[2001:db8::5]:40002" },
        { "v1 UNKNOWN", Ascii("PROXY UNKNOWN\r\n"), null },
        { "v1 UNKNOWN with addresses", Ascii("PROXY UNKNOWN ffff:f...f:ffff ffff:f...f:ffff 65535 65535\r\n"), null },
        { "v1 longest", Ascii("PROXY TCP6 ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff 65535 65535\r\n"), "[ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff]:65535" },
        { "v2 TCP4", V2(0x21, 0x11, [203, 0, 113, 7, 192, 0, 2, 1, 0x9C, 0x41, 0x07, 0x5B]), "203.0.113.7:40001" },
        { "v2 TCP6", V2(0x21, 0x21, [.. IPAddress.Parse("2001:db8::5").GetAddressBytes(), .. IPAddress.Parse("2001:db8::1").GetAddressBytes(), 0x9C, 0x42, 0x22, 0xB3]), "[2001:db8::5]:40002" },
        { "v2 TCP4 with TLVs", V2(0x21, 0x11, [10, 0, 0, 1, 10, 0, 0, 2, 0x00, 0x50, 0x07, 0x5B, 0x01, 0x00, 0x04, .. "mqtt"u8, 0x04, 0x00, 0x00, 0x20, 0x00, 0x01, 0x01]), "10.0.0.1:80" },
        { "v2 LOCAL", V2(0x20, 0x00, []), null },
        { "v2 LOCAL with a block", V2(0x20, 0x11, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]), null },
        { "v2 UNSPEC", V2(0x21, 0x00, [1, 2, 3]), null },
        { "v2 UNIX stream", V2(0x21, 0x31, new byte[216]), null },
    };

    public static TheoryData<string, byte[]> InvalidHeaders => new()
    {
        { "MQTT without header", [0x10, 0x0C, 0x00, 0x04, .. "MQTT"u8] },
        { "HTTP", Ascii("GET / HTTP/1.1\r\n\r\n") },
        { "v1 lower case", Ascii("proxy TCP4 1.2.3.4 5.6.7.8 1 2\r\n") },
        { "v1 no CR", Ascii("PROXY TCP4 1.2.3.4 5.6.7.8 1 2\n") },
        { "v1 IPv6 as TCP4", Ascii("PROXY TCP4 2001:db8::5 2001:db8::1 1 2\r\n") },
        { "v1 port too large", Ascii("PROXY TCP4 1.2.3.4 5.6.7.8 65536 2\r\n") },
        { "v1 port with sign", Ascii("PROXY TCP4 1.2.3.4 5.6.7.8 +1 2\r\n") },
        { "v1 port with leading zero", Ascii("PROXY TCP4 1.2.3.4 5.6.7.8 01 2\r\n") },
        { "v1 missing port", Ascii("PROXY TCP4 1.2.3.4 5.6.7.8 1\r\n") },
        { "v1 extra field", Ascii("PROXY TCP4 1.2.3.4 5.6.7.8 1 2 3\r\n") },
        { "v1 double space", Ascii("PROXY TCP4 1.2.3.4  5.6.7.8 1 2\r\n") },
        { "v1 unknown protocol", Ascii("PROXY UDP4 1.2.3.4 5.6.7.8 1 2\r\n") },
        { "v1 too long", Ascii("PROXY UNKNOWN " + new string('x', 100) + "\r\n") },
        { "v2 bad signature", [.. Signature[..11], 0x0B, 0x21, 0x11, 0x00, 0x00] },
        { "v2 version 1", V2(0x11, 0x11, new byte[12]) },
        { "v2 command 2", V2(0x22, 0x11, new byte[12]) },
        { "v2 UDP4", V2(0x21, 0x12, new byte[12]) },
        { "v2 unknown family", V2(0x21, 0x41, new byte[12]) },
        { "v2 TCP4 block too short", V2(0x21, 0x11, new byte[11]) },
        { "v2 TCP6 block too short", V2(0x21, 0x21, new byte[35]) },
        { "v2 TLV longer than block", V2(0x21, 0x11, [.. new byte[12], 0x01, 0x00, 0x05, 0x61]) },
        { "v2 TLV header cut", V2(0x21, 0x11, [.. new byte[12], 0x01, 0x00]) },
    };

    [Theory]
    [MemberData(nameof(ValidHeaders))]
    public void TryRead_ValidHeader_CompleteWithSourceAndRestUnread(string name, byte[] header, string? source)
    {
        var buffer = new ReadOnlySequence<byte>([.. header, .. After]);

        var status = ProxyProtocolReader.TryRead(ref buffer, out var parsed);

        Assert.True(status == ProxyHeaderStatus.Complete, name);
        Assert.Equal(source, parsed.Source?.ToString());
        Assert.Equal(After, buffer.ToArray());
    }

    [Theory]
    [MemberData(nameof(ValidHeaders))]
    public void TryRead_EveryPrefix_IncompleteAndConsumesNothing(string name, byte[] header, string? source)
    {
        _ = source;
        for (var length = 0; length < header.Length; length++)
        {
            var buffer = new ReadOnlySequence<byte>(header[..length]);

            var status = ProxyProtocolReader.TryRead(ref buffer, out _);

            Assert.True(status == ProxyHeaderStatus.Incomplete, $"{name}: prefix of {length} bytes gave {status}");
            Assert.Equal(length, buffer.Length);
        }
    }

    [Theory]
    [MemberData(nameof(ValidHeaders))]
    public void TryRead_EveryTwoSegmentSplit_ReadsTheSame(string name, byte[] header, string? source)
    {
        byte[] data = [.. header, .. After];
        for (var at = 0; at <= data.Length; at++)
        {
            var buffer = BufferSegment.Split(data, at);

            var status = ProxyProtocolReader.TryRead(ref buffer, out var parsed);

            Assert.True(status == ProxyHeaderStatus.Complete, $"{name}: split at {at} gave {status}");
            Assert.Equal(source, parsed.Source?.ToString());
            Assert.Equal(After, buffer.ToArray());
        }
    }

    [Theory]
    [MemberData(nameof(InvalidHeaders))]
    public void TryRead_InvalidHeader_Invalid(string name, byte[] header)
    {
        var buffer = new ReadOnlySequence<byte>(header);

        var status = ProxyProtocolReader.TryRead(ref buffer, out _);

        Assert.True(status == ProxyHeaderStatus.Invalid, $"{name} gave {status}");
    }

    [Fact]
    public void TryRead_V1Destination_Parsed()
    {
        var buffer = new ReadOnlySequence<byte>(Ascii("PROXY TCP4 203.0.113.7 192.0.2.1 40001 1883\r\n"));

        ProxyProtocolReader.TryRead(ref buffer, out var header);

        Assert.Equal(new IPEndPoint(IPAddress.Parse("192.0.2.1"), 1883), header.Destination);
    }

    [Fact]
    public void TryRead_V1WithoutLineEndWithin107Bytes_Invalid()
    {
        var buffer = new ReadOnlySequence<byte>(Ascii("PROXY TCP4 " + new string('1', 200)));

        Assert.Equal(ProxyHeaderStatus.Invalid, ProxyProtocolReader.TryRead(ref buffer, out _));
    }

    private static byte[] Ascii(string text) => Encoding.ASCII.GetBytes(text);

    private static byte[] V2(byte versionCommand, byte family, byte[] block) =>
        [.. Signature, versionCommand, family, (byte)(block.Length >> 8), (byte)block.Length, .. block];
}
