using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.Serialization;
using System.Text;

namespace Bifro.Serialization;

/// <summary>
/// Reads the binary format from a span. Input comes from peers, so every read is bounds-checked and a
/// truncated or inconsistent input throws <see cref="SerializationException"/>, which the transport
/// turns into a failed call.
/// </summary>
public ref struct Reader
{
    private readonly ReadOnlySpan<byte> _span;
    private int _position;

    public Reader(ReadOnlySpan<byte> span, SerializerSession? session = null)
    {
        _span = span;
        _position = 0;
        Session = session;
    }

    public SerializerSession? Session { get; }

    public readonly bool End => _position >= _span.Length;

    public readonly int Remaining => _span.Length - _position;

    /// <summary>Reads the next field header of the current scope; false at the scope's end.</summary>
    public bool TryReadFieldHeader(out uint id, out WireType wireType)
    {
        if (_position >= _span.Length)
        {
            id = 0;
            wireType = default;
            return false;
        }

        var header = ReadVarUInt32();
        id = header >> 3;
        wireType = (WireType)(header & 7);
        return true;
    }

    /// <summary>Reads a field's value with the codec of <typeparamref name="T"/>.</summary>
    public T ReadFieldValue<T>(WireType wireType)
    {
        var codec = Codec<T>.Instance;
        if (codec.WireType != wireType)
        {
            ThrowWireTypeMismatch(typeof(T), codec.WireType, wireType);
        }

        return codec.Read(ref this);
    }

    public void SkipField(WireType wireType)
    {
        switch (wireType)
        {
            case WireType.VarInt:
                ReadVarUInt64();
                break;
            case WireType.Fixed64:
                Take(8);
                break;
            case WireType.Fixed32:
                Take(4);
                break;
            case WireType.LengthPrefixed:
                Take((int)ReadVarUInt32());
                break;
            case WireType.Object:
                Take(ReadLength());
                break;
            default:
                ThrowInvalid($"unknown wire type {(int)wireType}");
                break;
        }
    }

    /// <summary>Reads an object's length and returns a reader over just that object.</summary>
    public Reader ReadObjectScope()
    {
        var length = ReadLength();
        return new Reader(Take(length), Session);
    }

    public byte ReadByte()
    {
        if (_position >= _span.Length)
        {
            ThrowInvalid("truncated input");
        }

        return _span[_position++];
    }

    public uint ReadVarUInt32()
    {
        var value = ReadVarUInt64();
        if (value > uint.MaxValue)
        {
            ThrowInvalid("variable-length integer out of range");
        }

        return (uint)value;
    }

    public ulong ReadVarUInt64()
    {
        ulong result = 0;
        for (var shift = 0; shift < 70; shift += 7)
        {
            var b = ReadByte();
            result |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80)
            {
                return result;
            }
        }

        ThrowInvalid("variable-length integer too long");
        return 0;
    }

    public long ReadVarInt64()
    {
        var raw = ReadVarUInt64();
        return (long)(raw >> 1) ^ -(long)(raw & 1);
    }

    public uint ReadFixed32() => BinaryPrimitives.ReadUInt32LittleEndian(Take(4));

    public ulong ReadFixed64() => BinaryPrimitives.ReadUInt64LittleEndian(Take(8));

    public ReadOnlySpan<byte> ReadLengthPrefixed() => Take((int)ReadVarUInt32());

    public string ReadString() => Encoding.UTF8.GetString(ReadLengthPrefixed());

    public ReadOnlySpan<byte> Take(int count)
    {
        if (count < 0 || count > _span.Length - _position)
        {
            ThrowInvalid("truncated input");
        }

        var slice = _span.Slice(_position, count);
        _position += count;
        return slice;
    }

    private int ReadLength()
    {
        var length = (int)ReadFixed32();
        if (length < 0)
        {
            ThrowInvalid("negative length");
        }

        return length;
    }

    [DoesNotReturn]
    private static void ThrowInvalid(string what) => throw new SerializationException($"Invalid serialized data: {what}.");

    [DoesNotReturn]
    private static void ThrowWireTypeMismatch(Type type, WireType expected, WireType actual) =>
        throw new SerializationException($"Field of type {type} expects wire type {expected} but has {actual}.");
}
