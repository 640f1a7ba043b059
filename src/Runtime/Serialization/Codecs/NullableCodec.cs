namespace Bifro.Serialization.Codecs;

/// <summary>A nullable value: a null field is simply absent, so a present field is the value.</summary>
internal sealed class NullableCodec<T> : IFieldCodec<T?>
    where T : struct
{
    public WireType WireType => Codec<T>.Instance.WireType;

    public void Write(Writer writer, T? value) => Codec<T>.Instance.Write(writer, value!.Value);

    public T? Read(ref Reader reader) => Codec<T>.Instance.Read(ref reader);
}
