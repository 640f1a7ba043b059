using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Text;

namespace Bifro.Serialization;

/// <summary>
/// Writes the binary format into a growable buffer rented from <see cref="ArrayPool{T}"/>. Objects are
/// written as a four-byte length that is patched once the object is complete, so nothing is sized twice.
/// </summary>
public sealed class Writer : IBufferWriter<byte>, IDisposable
{
    private byte[] _buffer;
    private int _position;

    public Writer(int initialCapacity = 256)
    {
        _buffer = ArrayPool<byte>.Shared.Rent(initialCapacity);
    }

    /// <summary>Context for values that need the runtime (grain references).</summary>
    public SerializerSession? Session { get; set; }

    /// <summary>Bytes written so far.</summary>
    public int Length => _position;

    public ReadOnlySpan<byte> WrittenSpan => _buffer.AsSpan(0, _position);

    public ReadOnlyMemory<byte> WrittenMemory => _buffer.AsMemory(0, _position);

    public byte[] ToArray() => WrittenSpan.ToArray();

    public void Reset() => _position = 0;

    public void Dispose()
    {
        var buffer = _buffer;
        _buffer = [];
        _position = 0;
        if (buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Writes a field: its header, then its value through the codec of <typeparamref name="T"/>. Null values are omitted.</summary>
    public void WriteField<T>(uint id, T value)
    {
        if (value is null)
        {
            return;
        }

        var codec = Codec<T>.Instance;
        WriteFieldHeader(id, codec.WireType);
        codec.Write(this, value);
    }

    public void WriteFieldHeader(uint id, WireType wireType) => WriteVarUInt32((id << 3) | (uint)wireType);

    /// <summary>Reserves the length of an object scope; pass the result to <see cref="EndObject"/>.</summary>
    public int BeginObject()
    {
        EnsureCapacity(4);
        var start = _position;
        _position += 4;
        return start;
    }

    public void EndObject(int start) =>
        BinaryPrimitives.WriteInt32LittleEndian(_buffer.AsSpan(start), _position - start - 4);

    public void WriteByte(byte value)
    {
        EnsureCapacity(1);
        _buffer[_position++] = value;
    }

    public void WriteVarUInt32(uint value)
    {
        EnsureCapacity(5);
        while (value >= 0x80)
        {
            _buffer[_position++] = (byte)(value | 0x80);
            value >>= 7;
        }

        _buffer[_position++] = (byte)value;
    }

    public void WriteVarUInt64(ulong value)
    {
        EnsureCapacity(10);
        while (value >= 0x80)
        {
            _buffer[_position++] = (byte)(value | 0x80);
            value >>= 7;
        }

        _buffer[_position++] = (byte)value;
    }

    public void WriteVarInt64(long value) => WriteVarUInt64((ulong)((value << 1) ^ (value >> 63)));

    public void WriteFixed32(uint value)
    {
        EnsureCapacity(4);
        BinaryPrimitives.WriteUInt32LittleEndian(_buffer.AsSpan(_position), value);
        _position += 4;
    }

    public void WriteFixed64(ulong value)
    {
        EnsureCapacity(8);
        BinaryPrimitives.WriteUInt64LittleEndian(_buffer.AsSpan(_position), value);
        _position += 8;
    }

    /// <summary>A length-prefixed run of bytes.</summary>
    public void WriteLengthPrefixed(ReadOnlySpan<byte> value)
    {
        WriteVarUInt32((uint)value.Length);
        WriteRaw(value);
    }

    /// <summary>A length-prefixed UTF-8 string.</summary>
    public void WriteString(string value)
    {
        var length = Encoding.UTF8.GetByteCount(value);
        WriteVarUInt32((uint)length);
        EnsureCapacity(length);
        _position += Encoding.UTF8.GetBytes(value, _buffer.AsSpan(_position));
    }

    public void WriteRaw(ReadOnlySpan<byte> value)
    {
        EnsureCapacity(value.Length);
        value.CopyTo(_buffer.AsSpan(_position));
        _position += value.Length;
    }

    public void Advance(int count) => _position += count;

    public Memory<byte> GetMemory(int sizeHint = 0)
    {
        EnsureCapacity(Math.Max(sizeHint, 1));
        return _buffer.AsMemory(_position);
    }

    public Span<byte> GetSpan(int sizeHint = 0)
    {
        EnsureCapacity(Math.Max(sizeHint, 1));
        return _buffer.AsSpan(_position);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void EnsureCapacity(int count)
    {
        if (_buffer.Length - _position < count)
        {
            Grow(count);
        }
    }

    private void Grow(int count)
    {
        var next = ArrayPool<byte>.Shared.Rent(Math.Max(_buffer.Length * 2, _position + count));
        _buffer.AsSpan(0, _position).CopyTo(next);
        if (_buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
        }

        _buffer = next;
    }
}
