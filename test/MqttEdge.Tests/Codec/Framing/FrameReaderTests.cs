using System.Buffers;
using Bifro.MqttEdge.Codec;
using Bifro.MqttEdge.Codec.Framing;
using Bifro.MqttEdge.Tests.Codec.Support;
using Xunit;
using static Bifro.MqttEdge.Tests.Codec.Support.Bytes;

namespace Bifro.MqttEdge.Tests.Codec.Framing;

public sealed class FrameReaderTests
{
    [Fact]
    public void TryReadFrame_EmptyBuffer_IsIncomplete()
    {
        var buffer = ReadOnlySequence<byte>.Empty;
        Assert.Equal(FrameStatus.Incomplete, FrameReader.TryReadFrame(ref buffer, 1024, out var frame));
        Assert.Equal(default, frame.Type);
    }

    [Fact]
    public void TryReadFrame_CompletePacket_ReturnsHeaderAndSlicesPast()
    {
        var packet = Packet(0x32, S("a/b"), U16(10), B(1, 2));
        var buffer = new ReadOnlySequence<byte>([.. packet, 0xC0]);

        Assert.Equal(FrameStatus.Complete, FrameReader.TryReadFrame(ref buffer, 1024, out var frame));

        Assert.Equal(PacketType.Publish, frame.Type);
        Assert.Equal(0b0010, frame.Flags);
        Assert.Equal(9, frame.RemainingLength);
        Assert.Equal(2, frame.HeaderLength);
        Assert.Equal(11, frame.TotalLength);
        Assert.Equal(packet[2..], frame.Body.ToArray());
        Assert.Equal(1, buffer.Length);
    }

    [Fact]
    public void TryReadFrame_SeveralPackets_ReadsEachInTurn()
    {
        var buffer = new ReadOnlySequence<byte>([0xC0, 0x00, 0xD0, 0x00, 0xE0, 0x00]);
        var types = new List<PacketType>();
        while (FrameReader.TryReadFrame(ref buffer, 1024, out var frame) == FrameStatus.Complete)
        {
            types.Add(frame.Type);
        }

        Assert.Equal([PacketType.PingReq, PacketType.PingResp, PacketType.Disconnect], types);
        Assert.True(buffer.IsEmpty);
    }

    [Fact]
    public void TryReadFrame_RemainingLengthOfFiveBytes_IsMalformed()
    {
        var buffer = new ReadOnlySequence<byte>([0x30, 0xFF, 0xFF, 0xFF, 0xFF, 0x01]);
        Assert.Equal(FrameStatus.Malformed, FrameReader.TryReadFrame(ref buffer, int.MaxValue, out _));
        Assert.Equal(6, buffer.Length);
    }

    [Theory]
    [InlineData(new byte[] { 0x30, 0x80, 0x00 })]
    [InlineData(new byte[] { 0x30, 0xFF, 0x00 })]
    [InlineData(new byte[] { 0x30, 0x80, 0x80, 0x00 })]
    [InlineData(new byte[] { 0x30, 0x80, 0x80, 0x80, 0x00 })]
    public void TryReadFrame_NonMinimalRemainingLength_IsMalformed(byte[] header)
    {
        // [MQTT-1.5.5-1] e.g. 0x80 0x00 encodes 0 in two bytes.
        var buffer = new ReadOnlySequence<byte>(header);
        Assert.Equal(FrameStatus.Malformed, FrameReader.TryReadFrame(ref buffer, int.MaxValue, out _));
        Assert.Equal(header.Length, buffer.Length);
    }

    [Fact]
    public void TryReadFrame_OversizeHeaderWithoutBody_IsTooLargeBeforeBodyArrives()
    {
        // Remaining length 1000 announced; only the header is in the buffer.
        var buffer = new ReadOnlySequence<byte>([0x30, 0xE8, 0x07]);
        Assert.Equal(FrameStatus.TooLarge, FrameReader.TryReadFrame(ref buffer, 1000, out _));
        Assert.Equal(3, buffer.Length);
    }

    [Fact]
    public void TryReadFrame_TotalSizeEqualToMaximum_IsAccepted()
    {
        // Total size = 1 + 1 + 8 = 10: the limit counts the fixed header [MQTT-3.1.2-24].
        var packet = Packet(0x30, S("a"), B(1, 2, 3, 4, 5));
        Assert.Equal(10, packet.Length);
        var buffer = new ReadOnlySequence<byte>(packet);
        Assert.Equal(FrameStatus.Complete, FrameReader.TryReadFrame(ref buffer, 10, out _));

        buffer = new ReadOnlySequence<byte>(packet);
        Assert.Equal(FrameStatus.TooLarge, FrameReader.TryReadFrame(ref buffer, 9, out _));
    }

    [Fact]
    public void TryReadFrame_HeaderSplitAcrossManySegments_IsRead()
    {
        var packet = Packet(0x30, S("t"), new byte[200]);
        var sequence = BufferSegment.Create(packet[..1], packet[1..2], [], packet[2..3], packet[3..]);
        Assert.Equal(FrameStatus.Complete, FrameReader.TryReadFrame(ref sequence, int.MaxValue, out var frame));
        Assert.Equal(203, frame.RemainingLength);
        Assert.Equal(3, frame.HeaderLength);
        Assert.True(sequence.IsEmpty);
    }

    [Fact]
    public void GetBodySpan_SingleSegment_DoesNotCopy()
    {
        var packet = Packet(0x30, S("t"), B(7));
        var buffer = new ReadOnlySequence<byte>(packet);
        FrameReader.TryReadFrame(ref buffer, 100, out var frame);

        var span = FrameReader.GetBodySpan(frame, out var rented);

        Assert.Null(rented);
        Assert.Equal(packet[2..], span.ToArray());
    }

    [Fact]
    public void GetBody_MultiSegment_CopiesToPooledArray()
    {
        var packet = Packet(0x30, S("topic"), B(1, 2, 3));
        var buffer = BufferSegment.Split(packet, 5);
        FrameReader.TryReadFrame(ref buffer, 100, out var frame);

        using var body = FrameReader.GetBody(frame);

        Assert.True(body.IsCopy);
        Assert.Equal(packet[2..], body.Span.ToArray());
    }
}
