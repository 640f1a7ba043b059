using System.Buffers.Binary;
using System.Text;

namespace Bifro.MqttEdge.Codec.Framing;

/// <summary>
/// Writes the data types of section 1.5 into a span sized beforehand with the exact packet size.
/// Running out of room is a sizing bug and throws (the span indexer or <see cref="CodecThrowHelper"/>).
/// </summary>
internal ref struct PacketWriter
{
    private readonly Span<byte> _buffer;
    private int _position;

    public PacketWriter(Span<byte> buffer)
    {
        _buffer = buffer;
        _position = 0;
    }

    /// <summary>Bytes written so far.</summary>
    public readonly int Position => _position;

    /// <summary>Fixed header: type and flags, then the remaining length.</summary>
    public void WriteFixedHeader(PacketType type, byte flags, int remainingLength)
    {
        WriteByte((byte)(((byte)type << 4) | flags));
        WriteVariableByteInteger(remainingLength);
    }

    public void WriteByte(byte value) => _buffer[_position++] = value;

    public void WriteUInt16(ushort value)
    {
        BinaryPrimitives.WriteUInt16BigEndian(_buffer[_position..], value);
        _position += 2;
    }

    public void WriteUInt32(uint value)
    {
        BinaryPrimitives.WriteUInt32BigEndian(_buffer[_position..], value);
        _position += 4;
    }

    public void WriteVariableByteInteger(int value) =>
        _position += VariableByteInteger.Write(_buffer[_position..], value);

    /// <summary>UTF-8 string or binary data given as bytes: two-byte length then the bytes.</summary>
    public void WriteBinary(ReadOnlySpan<byte> value)
    {
        if (value.Length > ushort.MaxValue)
        {
            CodecThrowHelper.ThrowStringTooLong(nameof(value));
        }

        WriteUInt16((ushort)value.Length);
        WriteBytes(value);
    }

    /// <summary>UTF-8 string from a .NET string: two-byte length then its UTF-8 encoding.</summary>
    public void WriteString(string value)
    {
        var length = Encoding.UTF8.GetBytes(value, _buffer[(_position + 2)..]);
        if (length > ushort.MaxValue)
        {
            CodecThrowHelper.ThrowStringTooLong(nameof(value));
        }

        WriteUInt16((ushort)length);
        _position += length;
    }

    public void WriteBytes(ReadOnlySpan<byte> value)
    {
        value.CopyTo(_buffer[_position..]);
        _position += value.Length;
    }

    /// <summary>Throws if the packet did not come out at the size computed for it.</summary>
    public readonly void AssertComplete(PacketType type, int expected)
    {
        if (_position != expected)
        {
            CodecThrowHelper.ThrowSizeMismatch(type, expected, _position);
        }
    }
}
