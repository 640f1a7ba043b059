namespace Bifro.Serialization;

/// <summary>Writes and reads values of one type (no field header: the caller writes it).</summary>
public interface IFieldCodec<T>
{
    WireType WireType { get; }

    void Write(Writer writer, T value);

    T Read(ref Reader reader);
}

/// <summary>The same codec seen without its type, for polymorphic and untyped (object) values.</summary>
public interface IUntypedCodec
{
    Type Type { get; }

    /// <summary>The type's stable wire name.</summary>
    string Alias { get; }

    WireType WireType { get; }

    void WriteUntyped(Writer writer, object value);

    object? ReadUntyped(ref Reader reader);
}

/// <summary>Generated codecs also expose their fields, so a base type's codec can write a derived object.</summary>
public interface IObjectFieldsCodec : IUntypedCodec
{
    void WriteFieldsUntyped(Writer writer, object value);

    object ReadFieldsUntyped(ref Reader reader);
}
