namespace Bifro.MqttEdge.Codec.Properties;

/// <summary>
/// Enumerates the user properties of a validated property block as UTF-8 spans, without allocating.
/// <c>foreach (var (name, value) in publish.Properties.UserProperties) { ... }</c>
/// </summary>
internal ref struct UserPropertyEnumerator
{
    private PropertyReader _reader;
    private Utf8UserProperty _current;

    public UserPropertyEnumerator(ReadOnlySpan<byte> block, PropertyContext context)
    {
        _reader = new PropertyReader(block, context);
        _current = default;
    }

    public readonly Utf8UserProperty Current => _current;

    public readonly UserPropertyEnumerator GetEnumerator() => this;

    public bool MoveNext()
    {
        while (_reader.TryRead(out var property))
        {
            if (property.Id == PropertyId.UserProperty)
            {
                _current = new Utf8UserProperty(property.Data, property.Value);
                return true;
            }
        }

        return false;
    }
}
