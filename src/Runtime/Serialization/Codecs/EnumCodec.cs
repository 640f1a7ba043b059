using System.Runtime.CompilerServices;

namespace Bifro.Serialization.Codecs;

/// <summary>Enums as their underlying integer, zig-zag encoded.</summary>
internal sealed class EnumCodec<T> : IFieldCodec<T>, IUntypedCodec
    where T : struct, Enum
{
    public string Alias => typeof(T).FullName!;

    public Type Type => typeof(T);

    public WireType WireType => WireType.VarInt;

    public void Write(Writer writer, T value) => writer.WriteVarInt64(ToInt64(value));

    public T Read(ref Reader reader) => FromInt64(reader.ReadVarInt64());

    public void WriteUntyped(Writer writer, object value) => Write(writer, (T)value);

    public object? ReadUntyped(ref Reader reader) => Read(ref reader);

    private static long ToInt64(T value) => Unsafe.SizeOf<T>() switch
    {
        1 => Unsafe.As<T, byte>(ref value),
        2 => Unsafe.As<T, short>(ref value),
        4 => Unsafe.As<T, int>(ref value),
        _ => Unsafe.As<T, long>(ref value),
    };

    private static T FromInt64(long raw)
    {
        switch (Unsafe.SizeOf<T>())
        {
            case 1:
                var b = (byte)raw;
                return Unsafe.As<byte, T>(ref b);
            case 2:
                var s = (short)raw;
                return Unsafe.As<short, T>(ref s);
            case 4:
                var i = (int)raw;
                return Unsafe.As<int, T>(ref i);
            default:
                return Unsafe.As<long, T>(ref raw);
        }
    }
}
