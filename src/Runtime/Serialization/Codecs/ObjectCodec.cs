namespace Bifro.Serialization.Codecs;

/// <summary>A value declared as object: the runtime type's alias, then the value through that type's codec.</summary>
internal sealed class ObjectCodec : IFieldCodec<object>
{
    public WireType WireType => WireType.Object;

    public void Write(Writer writer, object value)
    {
        var codec = CodecRegistry.GetUntyped(value.GetType());
        var start = writer.BeginObject();
        writer.WriteString(codec.Alias);
        codec.WriteUntyped(writer, value);
        writer.EndObject(start);
    }

    public object Read(ref Reader reader)
    {
        var scope = reader.ReadObjectScope();
        var codec = CodecRegistry.GetUntyped(scope.ReadString());
        return codec.ReadUntyped(ref scope)!;
    }
}
