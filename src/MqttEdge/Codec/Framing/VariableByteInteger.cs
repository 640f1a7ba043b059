namespace Bifro.MqttEdge.Codec.Framing;

/// <summary>
/// The variable byte integer of section 1.5.5: 7 bits per byte, least significant first, the high bit
/// saying "more bytes follow", at most 4 bytes (0 to 268,435,455).
/// </summary>
internal static class VariableByteInteger
{
    /// <summary>The largest encodable value, 268,435,455 (0xFF 0xFF 0xFF 0x7F).</summary>
    public const int MaxValue = 268_435_455;

    /// <summary>The longest encoding, in bytes.</summary>
    public const int MaxSize = 4;

    /// <summary>Outcome of <see cref="TryRead"/>.</summary>
    public enum Status
    {
        Complete,
        Incomplete,
        Malformed,
    }

    /// <summary>Bytes needed to encode <paramref name="value"/> (0..<see cref="MaxValue"/>).</summary>
    public static int GetSize(int value)
    {
        if ((uint)value > MaxValue)
        {
            CodecThrowHelper.ThrowArgumentOutOfRange(nameof(value), "A variable byte integer holds 0 to 268,435,455.");
        }

        return value < 0x80 ? 1 : value < 0x4000 ? 2 : value < 0x20_0000 ? 3 : 4;
    }

    /// <summary>Writes the minimal encoding of <paramref name="value"/> and returns its size.</summary>
    public static int Write(Span<byte> destination, int value)
    {
        var size = GetSize(value);
        if (destination.Length < size)
        {
            CodecThrowHelper.ThrowDestinationTooSmall();
        }

        var i = 0;
        var rest = (uint)value;
        while (rest >= 0x80)
        {
            destination[i++] = (byte)(rest | 0x80);
            rest >>= 7;
        }

        destination[i] = (byte)rest;
        return size;
    }

    /// <summary>
    /// Reads a variable byte integer from the start of <paramref name="source"/>.
    /// <see cref="Status.Incomplete"/> if <paramref name="source"/> ends inside it;
    /// <see cref="Status.Malformed"/> if it is longer than 4 bytes or not minimally encoded.
    /// </summary>
    public static Status TryRead(ReadOnlySpan<byte> source, out int value, out int consumed)
    {
        var result = 0;
        for (var i = 0; i < MaxSize; i++)
        {
            if (i >= source.Length)
            {
                value = 0;
                consumed = 0;
                return Status.Incomplete;
            }

            var b = source[i];
            result |= (b & 0x7F) << (7 * i);
            if ((b & 0x80) == 0)
            {
                // [MQTT-1.5.5-1] The encoded value MUST use the minimum number of bytes necessary:
                // a last byte of 0 after a continuation byte adds nothing.
                if (b == 0 && i > 0)
                {
                    value = 0;
                    consumed = 0;
                    return Status.Malformed;
                }

                value = result;
                consumed = i + 1;
                return Status.Complete;
            }
        }

        // A fifth byte would be needed: more than 4 bytes is malformed (section 1.5.5).
        value = 0;
        consumed = 0;
        return Status.Malformed;
    }
}
