namespace Bifro.MqttEdge.Codec.Properties;

/// <summary>Enumerates the Subscription Identifiers of a validated PUBLISH property block, without allocating.</summary>
internal ref struct SubscriptionIdentifierEnumerator
{
    private PropertyReader _reader;
    private int _current;

    public SubscriptionIdentifierEnumerator(ReadOnlySpan<byte> block)
    {
        _reader = new PropertyReader(block, PropertyContext.Publish);
        _current = 0;
    }

    public readonly int Current => _current;

    public readonly SubscriptionIdentifierEnumerator GetEnumerator() => this;

    public bool MoveNext()
    {
        while (_reader.TryRead(out var property))
        {
            if (property.Id == PropertyId.SubscriptionIdentifier)
            {
                _current = (int)property.Number;
                return true;
            }
        }

        return false;
    }
}
