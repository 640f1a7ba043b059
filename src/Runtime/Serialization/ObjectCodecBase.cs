namespace Bifro.Serialization;

/// <summary>
/// The base of generated codecs. An object is a scope: a type marker (0 = the declared type, 1 = an
/// alias follows naming a derived type), then its fields.
/// </summary>
public abstract class ObjectCodecBase<T> : IFieldCodec<T>, IObjectFieldsCodec
{
    protected ObjectCodecBase(string alias) => Alias = alias;

    public string Alias { get; }

    public Type Type => typeof(T);

    public WireType WireType => WireType.Object;

    public abstract void WriteFields(Writer writer, T value);

    public abstract T ReadFields(ref Reader reader);

    public void Write(Writer writer, T value)
    {
        var start = writer.BeginObject();
        var runtimeType = value!.GetType();
        if (runtimeType == typeof(T))
        {
            writer.WriteVarUInt32(0);
            WriteFields(writer, value);
        }
        else
        {
            var derived = CodecRegistry.GetFieldsCodec(runtimeType);
            writer.WriteVarUInt32(1);
            writer.WriteString(derived.Alias);
            derived.WriteFieldsUntyped(writer, value);
        }

        writer.EndObject(start);
    }

    public T Read(ref Reader reader)
    {
        var scope = reader.ReadObjectScope();
        if (scope.ReadVarUInt32() == 0)
        {
            return ReadFields(ref scope);
        }

        var alias = scope.ReadString();
        return (T)CodecRegistry.GetFieldsCodec(alias).ReadFieldsUntyped(ref scope);
    }

    public void WriteUntyped(Writer writer, object value) => Write(writer, (T)value);

    public object? ReadUntyped(ref Reader reader) => Read(ref reader);

    public void WriteFieldsUntyped(Writer writer, object value) => WriteFields(writer, (T)value);

    public object ReadFieldsUntyped(ref Reader reader) => ReadFields(ref reader)!;
}
