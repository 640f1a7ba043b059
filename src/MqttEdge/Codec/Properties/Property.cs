namespace Bifro.MqttEdge.Codec.Properties;

/// <summary>
/// One property as read by <see cref="PropertyReader"/>, values still in the packet's buffer.
/// Which members are meaningful depends on the identifier's <see cref="PropertyType"/>.
/// </summary>
internal readonly ref struct Property
{
    public Property(PropertyId id, uint number, ReadOnlySpan<byte> data, ReadOnlySpan<byte> value, int offset, int length)
    {
        Id = id;
        Number = number;
        Data = data;
        Value = value;
        Offset = offset;
        Length = length;
    }

    public PropertyId Id { get; }

    /// <summary>Byte, two byte, four byte and variable byte integer values.</summary>
    public uint Number { get; }

    /// <summary>UTF-8 string or binary data; the name of a user property.</summary>
    public ReadOnlySpan<byte> Data { get; }

    /// <summary>The value of a user property.</summary>
    public ReadOnlySpan<byte> Value { get; }

    /// <summary>Offset of the identifier within the property block.</summary>
    public int Offset { get; }

    /// <summary>Encoded length, identifier included.</summary>
    public int Length { get; }
}
