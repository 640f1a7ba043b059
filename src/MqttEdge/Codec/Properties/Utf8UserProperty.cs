namespace Bifro.MqttEdge.Codec.Properties;

/// <summary>A user property as two UTF-8 spans of the packet.</summary>
internal readonly ref struct Utf8UserProperty
{
    public Utf8UserProperty(ReadOnlySpan<byte> name, ReadOnlySpan<byte> value)
    {
        Name = name;
        Value = value;
    }

    public ReadOnlySpan<byte> Name { get; }

    public ReadOnlySpan<byte> Value { get; }

    public void Deconstruct(out ReadOnlySpan<byte> name, out ReadOnlySpan<byte> value)
    {
        name = Name;
        value = Value;
    }
}
