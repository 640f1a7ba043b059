using System.Buffers.Binary;
using System.Net;
using Bifro.Runtime;

namespace Bifro.Serialization.Codecs;

/// <summary>A codec for a type with a fixed layout, defined by two delegates.</summary>
internal sealed class PrimitiveCodec<T> : IFieldCodec<T>, IUntypedCodec
{
    private readonly Action<Writer, T> _write;
    private readonly ReadFunc _read;

    public PrimitiveCodec(string alias, WireType wireType, Action<Writer, T> write, ReadFunc read)
    {
        Alias = alias;
        WireType = wireType;
        _write = write;
        _read = read;
    }

    public delegate T ReadFunc(ref Reader reader);

    public string Alias { get; }

    public Type Type => typeof(T);

    public WireType WireType { get; }

    public void Write(Writer writer, T value) => _write(writer, value);

    public T Read(ref Reader reader) => _read(ref reader);

    public void WriteUntyped(Writer writer, object value) => _write(writer, (T)value);

    public object? ReadUntyped(ref Reader reader) => _read(ref reader);
}

/// <summary>The built-in codecs and their aliases.</summary>
internal static class PrimitiveCodecs
{
    public static void RegisterAll()
    {
        Add("bool", WireType.VarInt, (w, v) => w.WriteVarUInt32(v ? 1u : 0u), (ref Reader r) => r.ReadVarUInt32() != 0);
        Add("byte", WireType.VarInt, (w, v) => w.WriteVarUInt32(v), (ref Reader r) => (byte)r.ReadVarUInt32());
        Add("sbyte", WireType.VarInt, (w, v) => w.WriteVarInt64(v), (ref Reader r) => (sbyte)r.ReadVarInt64());
        Add("short", WireType.VarInt, (w, v) => w.WriteVarInt64(v), (ref Reader r) => (short)r.ReadVarInt64());
        Add("ushort", WireType.VarInt, (w, v) => w.WriteVarUInt32(v), (ref Reader r) => (ushort)r.ReadVarUInt32());
        Add("int", WireType.VarInt, (w, v) => w.WriteVarInt64(v), (ref Reader r) => (int)r.ReadVarInt64());
        Add("uint", WireType.VarInt, (w, v) => w.WriteVarUInt32(v), (ref Reader r) => r.ReadVarUInt32());
        Add("long", WireType.VarInt, (w, v) => w.WriteVarInt64(v), (ref Reader r) => r.ReadVarInt64());
        Add("ulong", WireType.VarInt, (w, v) => w.WriteVarUInt64(v), (ref Reader r) => r.ReadVarUInt64());
        Add("char", WireType.VarInt, (w, v) => w.WriteVarUInt32(v), (ref Reader r) => (char)r.ReadVarUInt32());
        Add("float", WireType.Fixed32, (w, v) => w.WriteFixed32(BitConverter.SingleToUInt32Bits(v)), (ref Reader r) => BitConverter.UInt32BitsToSingle(r.ReadFixed32()));
        Add("double", WireType.Fixed64, (w, v) => w.WriteFixed64(BitConverter.DoubleToUInt64Bits(v)), (ref Reader r) => BitConverter.UInt64BitsToDouble(r.ReadFixed64()));
        Add("decimal", WireType.LengthPrefixed, WriteDecimal, ReadDecimal);
        Add("string", WireType.LengthPrefixed, (w, v) => w.WriteString(v), (ref Reader r) => r.ReadString());
        Add("bytes", WireType.LengthPrefixed, (w, v) => w.WriteLengthPrefixed(v), (ref Reader r) => r.ReadLengthPrefixed().ToArray());
        Add<ReadOnlyMemory<byte>>("rom-bytes", WireType.LengthPrefixed, (w, v) => w.WriteLengthPrefixed(v.Span), (ref Reader r) => r.ReadLengthPrefixed().ToArray());
        Add<Memory<byte>>("mem-bytes", WireType.LengthPrefixed, (w, v) => w.WriteLengthPrefixed(v.Span), (ref Reader r) => r.ReadLengthPrefixed().ToArray());
        Add("guid", WireType.LengthPrefixed, WriteGuid, (ref Reader r) => new Guid(r.ReadLengthPrefixed()));
        Add("datetime", WireType.Fixed64, (w, v) => w.WriteFixed64((ulong)v.ToBinary()), (ref Reader r) => DateTime.FromBinary((long)r.ReadFixed64()));
        Add("datetimeoffset", WireType.LengthPrefixed, WriteDateTimeOffset, ReadDateTimeOffset);
        Add("timespan", WireType.VarInt, (w, v) => w.WriteVarInt64(v.Ticks), (ref Reader r) => TimeSpan.FromTicks(r.ReadVarInt64()));
        Add("cancellationtoken", WireType.VarInt, (w, _) => w.WriteVarUInt32(0), (ref Reader r) => { r.ReadVarUInt32(); return CancellationToken.None; });
        Add("graintype", WireType.LengthPrefixed, (w, v) => w.WriteString(v.Value), (ref Reader r) => GrainType.Create(r.ReadString()));
        Add("grainid", WireType.LengthPrefixed, (w, v) => w.WriteString(v.ToString()), (ref Reader r) => GrainId.Parse(r.ReadString()));
        Add("siloaddress", WireType.LengthPrefixed, (w, v) => w.WriteString(v.ToParsableString()), (ref Reader r) => SiloAddress.FromParsableString(r.ReadString()));
        Add("ipendpoint", WireType.LengthPrefixed, (w, v) => w.WriteString(v.ToString()), (ref Reader r) => IPEndPoint.Parse(r.ReadString()));
    }

    private static void Add<T>(string alias, WireType wireType, Action<Writer, T> write, PrimitiveCodec<T>.ReadFunc read) =>
        CodecRegistry.Register(new PrimitiveCodec<T>(alias, wireType, write, read));

    private static void WriteDecimal(Writer writer, decimal value)
    {
        Span<int> bits = stackalloc int[4];
        decimal.GetBits(value, bits);
        Span<byte> bytes = stackalloc byte[16];
        for (var i = 0; i < 4; i++)
        {
            BinaryPrimitives.WriteInt32LittleEndian(bytes[(i * 4)..], bits[i]);
        }

        writer.WriteLengthPrefixed(bytes);
    }

    private static decimal ReadDecimal(ref Reader reader)
    {
        var bytes = reader.ReadLengthPrefixed();
        Span<int> bits = stackalloc int[4];
        for (var i = 0; i < 4; i++)
        {
            bits[i] = BinaryPrimitives.ReadInt32LittleEndian(bytes[(i * 4)..]);
        }

        return new decimal(bits);
    }

    private static void WriteGuid(Writer writer, Guid value)
    {
        Span<byte> bytes = stackalloc byte[16];
        value.TryWriteBytes(bytes);
        writer.WriteLengthPrefixed(bytes);
    }

    private static void WriteDateTimeOffset(Writer writer, DateTimeOffset value)
    {
        Span<byte> bytes = stackalloc byte[10];
        BinaryPrimitives.WriteInt64LittleEndian(bytes, value.Ticks);
        BinaryPrimitives.WriteInt16LittleEndian(bytes[8..], (short)value.Offset.TotalMinutes);
        writer.WriteLengthPrefixed(bytes);
    }

    private static DateTimeOffset ReadDateTimeOffset(ref Reader reader)
    {
        var bytes = reader.ReadLengthPrefixed();
        return new DateTimeOffset(BinaryPrimitives.ReadInt64LittleEndian(bytes), TimeSpan.FromMinutes(BinaryPrimitives.ReadInt16LittleEndian(bytes[8..])));
    }
}
