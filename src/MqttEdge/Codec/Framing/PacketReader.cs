using System.Buffers.Binary;
using Bifro.MqttEdge.Codec.Validation;

namespace Bifro.MqttEdge.Codec.Framing;

/// <summary>
/// Reads the data types of section 1.5 from a packet body. Each <c>TryRead</c> returns false on bad
/// input and leaves the reason in <see cref="Error"/>; nothing throws, nothing allocates.
/// </summary>
internal ref struct PacketReader
{
    private readonly ReadOnlySpan<byte> _buffer;
    private int _position;
    private DecodeError _error;

    public PacketReader(ReadOnlySpan<byte> buffer)
    {
        _buffer = buffer;
        _position = 0;
        _error = default;
    }

    /// <summary>Bytes read so far.</summary>
    public readonly int Position => _position;

    /// <summary>Bytes left.</summary>
    public readonly int Remaining => _buffer.Length - _position;

    /// <summary>True when every byte has been read.</summary>
    public readonly bool IsEnd => _position == _buffer.Length;

    /// <summary>Why the last <c>TryRead</c> failed; <c>default</c> if none did.</summary>
    public readonly DecodeError Error => _error;

    /// <summary>Records <paramref name="error"/> and returns false, for one-line failure paths.</summary>
    public bool Fail(DecodeError error)
    {
        _error = error;
        return false;
    }

    /// <summary>Fails with <see cref="DecodeError.TrailingBytes"/> unless every byte was read.</summary>
    public bool TryReadEnd() => IsEnd || Fail(DecodeError.TrailingBytes);

    public bool TryReadByte(out byte value)
    {
        if (_position < _buffer.Length)
        {
            value = _buffer[_position++];
            return true;
        }

        value = 0;
        return Fail(DecodeError.Truncated);
    }

    /// <summary>Two byte integer, big-endian (section 1.5.2).</summary>
    public bool TryReadUInt16(out ushort value)
    {
        if (Remaining >= 2)
        {
            value = BinaryPrimitives.ReadUInt16BigEndian(_buffer[_position..]);
            _position += 2;
            return true;
        }

        value = 0;
        return Fail(DecodeError.Truncated);
    }

    /// <summary>Four byte integer, big-endian (section 1.5.3).</summary>
    public bool TryReadUInt32(out uint value)
    {
        if (Remaining >= 4)
        {
            value = BinaryPrimitives.ReadUInt32BigEndian(_buffer[_position..]);
            _position += 4;
            return true;
        }

        value = 0;
        return Fail(DecodeError.Truncated);
    }

    /// <summary>Variable byte integer (section 1.5.5): at most 4 bytes, minimally encoded.</summary>
    public bool TryReadVariableByteInteger(out int value)
    {
        switch (VariableByteInteger.TryRead(_buffer[_position..], out value, out var consumed))
        {
            case VariableByteInteger.Status.Complete:
                _position += consumed;
                return true;
            case VariableByteInteger.Status.Incomplete:
                return Fail(DecodeError.Truncated);
            default:
                // [MQTT-1.5.5-1]
                return Fail(DecodeError.Malformed("MQTT-1.5.5-1", "variable byte integer longer than 4 bytes or not minimal"));
        }
    }

    /// <summary>
    /// UTF-8 encoded string (section 1.5.4): two-byte length, then well-formed UTF-8 without U+0000,
    /// returned as a span of the body (validated, not decoded).
    /// </summary>
    public bool TryReadUtf8String(out ReadOnlySpan<byte> value)
    {
        if (!TryReadBinary(out value))
        {
            return false;
        }

        // [MQTT-1.5.4-1] well-formed, no surrogates; [MQTT-1.5.4-2] no U+0000.
        return Utf8Validator.TryValidate(value, out var error) || Fail(error);
    }

    /// <summary>Binary data (section 1.5.6): two-byte length then that many bytes.</summary>
    public bool TryReadBinary(out ReadOnlySpan<byte> value)
    {
        if (!TryReadUInt16(out var length))
        {
            value = default;
            return false;
        }

        return TryReadBytes(length, out value);
    }

    /// <summary>The next <paramref name="count"/> bytes.</summary>
    public bool TryReadBytes(int count, out ReadOnlySpan<byte> value)
    {
        if ((uint)count <= (uint)Remaining)
        {
            value = _buffer.Slice(_position, count);
            _position += count;
            return true;
        }

        value = default;
        return Fail(DecodeError.Truncated);
    }

    /// <summary>Every byte left (a PUBLISH payload), possibly none.</summary>
    public ReadOnlySpan<byte> ReadToEnd()
    {
        var rest = _buffer[_position..];
        _position = _buffer.Length;
        return rest;
    }

    /// <summary>A property block (section 2.2.2): its variable byte integer length then that many bytes.</summary>
    public bool TryReadPropertyBlock(out ReadOnlySpan<byte> properties)
    {
        if (!TryReadVariableByteInteger(out var length))
        {
            properties = default;
            return false;
        }

        return TryReadBytes(length, out properties);
    }
}
