using System.Buffers;

namespace Bifro.MqttEdge.Codec.Framing;

/// <summary>
/// Cuts control packets out of the connection's input. The layout (section 2.1.1):
/// <code>
/// byte 1       packet type (bits 7-4) | flags (bits 3-0)
/// byte 2..5    remaining length, variable byte integer (1 to 4 bytes)
/// ...          remaining length bytes of variable header and payload
/// </code>
/// </summary>
internal static class FrameReader
{
    /// <summary>Fixed header at its longest: 1 byte of type and flags, 4 of remaining length.</summary>
    public const int MaxHeaderLength = 1 + VariableByteInteger.MaxSize;

    /// <summary>
    /// Reads one frame from the start of <paramref name="buffer"/>. On <see cref="FrameStatus.Complete"/>
    /// <paramref name="buffer"/> is sliced past the frame; otherwise it is left untouched and
    /// <paramref name="frame"/> is <c>default</c>. A packet whose total size (fixed header included)
    /// exceeds <paramref name="maxPacketSize"/> is <see cref="FrameStatus.TooLarge"/> as soon as its fixed
    /// header is readable, before its body arrives, so an oversize packet is never buffered.
    /// </summary>
    public static FrameStatus TryReadFrame(ref ReadOnlySequence<byte> buffer, int maxPacketSize, out Frame frame)
    {
        frame = default;
        if (buffer.IsEmpty)
        {
            return FrameStatus.Incomplete;
        }

        // The header is at most 5 bytes: read it from the first segment when it is there (the usual
        // case), else from a stack copy of the first bytes of the sequence.
        var first = buffer.FirstSpan;
        if (first.Length >= MaxHeaderLength || buffer.IsSingleSegment)
        {
            return ReadHeaderThenBody(ref buffer, first, maxPacketSize, out frame);
        }

        Span<byte> copy = stackalloc byte[MaxHeaderLength];
        var available = (int)Math.Min(buffer.Length, MaxHeaderLength);
        buffer.Slice(0, available).CopyTo(copy);
        return ReadHeaderThenBody(ref buffer, copy[..available], maxPacketSize, out frame);
    }

    private static FrameStatus ReadHeaderThenBody(
        ref ReadOnlySequence<byte> buffer, ReadOnlySpan<byte> header, int maxPacketSize, out Frame frame)
    {
        frame = default;
        var status = VariableByteInteger.TryRead(header[1..], out var remainingLength, out var lengthSize);
        if (status == VariableByteInteger.Status.Incomplete)
        {
            return FrameStatus.Incomplete;
        }

        if (status == VariableByteInteger.Status.Malformed)
        {
            // [MQTT-1.5.5-1] and section 1.5.5: more than 4 bytes or not minimal.
            return FrameStatus.Malformed;
        }

        var headerLength = 1 + lengthSize;

        // [MQTT-3.1.2-24] (and 3.2.2.3.6 for a client): a packet larger than the Maximum Packet Size
        // is answered with DISCONNECT 0x95. Decided here, before waiting for the body.
        if ((long)headerLength + remainingLength > maxPacketSize)
        {
            return FrameStatus.TooLarge;
        }

        var totalLength = headerLength + remainingLength;
        if (buffer.Length < totalLength)
        {
            return FrameStatus.Incomplete;
        }

        var typeAndFlags = header[0];
        var body = buffer.Slice(headerLength, remainingLength);
        frame = new Frame((PacketType)(typeAndFlags >> 4), (byte)(typeAndFlags & 0x0F), remainingLength, headerLength, body);
        buffer = buffer.Slice(totalLength);
        return FrameStatus.Complete;
    }

    /// <summary>
    /// The frame body as one span: the segment itself when the body is in one segment (no copy),
    /// otherwise a copy into an array rented from <see cref="ArrayPool{T}.Shared"/> and returned in
    /// <paramref name="rented"/>; the caller returns it once done with the span.
    /// </summary>
    public static ReadOnlySpan<byte> GetBodySpan(in Frame frame, out byte[]? rented)
    {
        var body = frame.Body;
        if (body.IsSingleSegment)
        {
            rented = null;
            return body.FirstSpan;
        }

        rented = ArrayPool<byte>.Shared.Rent(frame.RemainingLength);
        body.CopyTo(rented);
        return rented.AsSpan(0, frame.RemainingLength);
    }

    /// <summary>Like <see cref="GetBodySpan"/>, wrapped so that <c>using</c> returns the copy.</summary>
    public static FrameBody GetBody(in Frame frame)
    {
        var span = GetBodySpan(frame, out var rented);
        return new FrameBody(span, rented);
    }
}
