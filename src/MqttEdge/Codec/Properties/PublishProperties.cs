using Bifro.MqttEdge.Codec.Framing;

namespace Bifro.MqttEdge.Codec.Properties;

/// <summary>
/// The properties of a 5.0 PUBLISH (section 3.3.2.3), validated, as a view over the packet's bytes.
/// Nothing is copied or decoded: strings stay UTF-8 spans, and user properties stay in their wire
/// form so the broker can forward them with <see cref="CopyUserPropertiesTo"/>.
/// For 3.1 and 3.1.1 the view is empty.
/// </summary>
internal readonly ref struct PublishProperties
{
    private readonly ulong _present;
    private readonly uint _messageExpiryInterval;
    private readonly byte _payloadFormatIndicator;

    private PublishProperties(
        ReadOnlySpan<byte> encoded,
        ulong present,
        byte payloadFormatIndicator,
        uint messageExpiryInterval,
        ushort topicAlias,
        ReadOnlySpan<byte> contentType,
        ReadOnlySpan<byte> responseTopic,
        ReadOnlySpan<byte> correlationData,
        int subscriptionIdentifierCount,
        int userPropertyCount,
        int userPropertiesLength)
    {
        Encoded = encoded;
        _present = present;
        _payloadFormatIndicator = payloadFormatIndicator;
        _messageExpiryInterval = messageExpiryInterval;
        TopicAlias = topicAlias;
        ContentType = contentType;
        ResponseTopic = responseTopic;
        CorrelationData = correlationData;
        SubscriptionIdentifierCount = subscriptionIdentifierCount;
        UserPropertyCount = userPropertyCount;
        UserPropertiesLength = userPropertiesLength;
    }

    /// <summary>The whole property block as received, without its length prefix.</summary>
    public ReadOnlySpan<byte> Encoded { get; }

    /// <summary>True if the property was present.</summary>
    public bool Contains(PropertyId id) => (_present & (1UL << (int)id)) != 0;

    /// <summary>Payload Format Indicator (0x01): 0 unspecified bytes, 1 UTF-8; null if absent.</summary>
    public byte? PayloadFormatIndicator => Contains(PropertyId.PayloadFormatIndicator) ? _payloadFormatIndicator : null;

    /// <summary>Message Expiry Interval (0x02) in seconds; null if absent (the message does not expire).</summary>
    public uint? MessageExpiryInterval => Contains(PropertyId.MessageExpiryInterval) ? _messageExpiryInterval : null;

    /// <summary>Topic Alias (0x23), 1..65535; 0 if absent.</summary>
    public ushort TopicAlias { get; }

    /// <summary>Content Type (0x03), validated UTF-8; see <see cref="HasContentType"/> (it may be present and empty).</summary>
    public ReadOnlySpan<byte> ContentType { get; }

    public bool HasContentType => Contains(PropertyId.ContentType);

    /// <summary>Response Topic (0x08), a valid topic name; empty if absent.</summary>
    public ReadOnlySpan<byte> ResponseTopic { get; }

    public bool HasResponseTopic => Contains(PropertyId.ResponseTopic);

    /// <summary>Correlation Data (0x09); see <see cref="HasCorrelationData"/> (it may be present and empty).</summary>
    public ReadOnlySpan<byte> CorrelationData { get; }

    public bool HasCorrelationData => Contains(PropertyId.CorrelationData);

    /// <summary>
    /// Number of Subscription Identifiers (0x0B). Only a server sends them: a server that sees a
    /// non-zero count from a client answers with a protocol error [MQTT-3.3.4-6].
    /// </summary>
    public int SubscriptionIdentifierCount { get; }

    /// <summary>The Subscription Identifiers, in order.</summary>
    public SubscriptionIdentifierEnumerator SubscriptionIdentifiers => new(Encoded);

    /// <summary>Number of User Properties (0x26).</summary>
    public int UserPropertyCount { get; }

    /// <summary>Encoded length of all User Property entries (identifier byte included), the size <see cref="CopyUserPropertiesTo"/> needs.</summary>
    public int UserPropertiesLength { get; }

    /// <summary>The User Properties as UTF-8 spans, in order.</summary>
    public UserPropertyEnumerator UserProperties => new(Encoded, PropertyContext.Publish);

    /// <summary>
    /// Copies every User Property entry (<c>0x26 name value</c>), in order, into <paramref name="destination"/>
    /// and returns the bytes written (<see cref="UserPropertiesLength"/>). The entries may be interleaved with
    /// other properties on the wire; they come out contiguous, ready for the PUBLISH writer.
    /// </summary>
    public int CopyUserPropertiesTo(Span<byte> destination)
    {
        if (destination.Length < UserPropertiesLength)
        {
            CodecThrowHelper.ThrowDestinationTooSmall();
        }

        if (UserPropertyCount == 0)
        {
            return 0;
        }

        // Common case: the user properties are the only properties, one copy.
        if (UserPropertiesLength == Encoded.Length)
        {
            Encoded.CopyTo(destination);
            return UserPropertiesLength;
        }

        var written = 0;
        var reader = new PropertyReader(Encoded, PropertyContext.Publish);
        while (reader.TryRead(out var property))
        {
            if (property.Id == PropertyId.UserProperty)
            {
                Encoded.Slice(property.Offset, property.Length).CopyTo(destination[written..]);
                written += property.Length;
            }
        }

        return written;
    }

    /// <summary>Reads and validates a PUBLISH property block (section 3.3.2.3).</summary>
    public static bool TryRead(ReadOnlySpan<byte> block, out PublishProperties properties, out DecodeError error)
    {
        properties = default;
        if (block.IsEmpty)
        {
            error = default;
            return true;
        }

        byte payloadFormatIndicator = 0;
        uint messageExpiryInterval = 0;
        ushort topicAlias = 0;
        ReadOnlySpan<byte> contentType = default;
        ReadOnlySpan<byte> responseTopic = default;
        ReadOnlySpan<byte> correlationData = default;
        var subscriptionIdentifiers = 0;
        var userProperties = 0;
        var userPropertiesLength = 0;

        var reader = new PropertyReader(block, PropertyContext.Publish);
        while (reader.TryRead(out var property))
        {
            switch (property.Id)
            {
                case PropertyId.PayloadFormatIndicator:
                    payloadFormatIndicator = (byte)property.Number;
                    break;
                case PropertyId.MessageExpiryInterval:
                    messageExpiryInterval = property.Number;
                    break;
                case PropertyId.TopicAlias:
                    topicAlias = (ushort)property.Number;
                    break;
                case PropertyId.ContentType:
                    contentType = property.Data;
                    break;
                case PropertyId.ResponseTopic:
                    responseTopic = property.Data;
                    break;
                case PropertyId.CorrelationData:
                    correlationData = property.Data;
                    break;
                case PropertyId.SubscriptionIdentifier:
                    subscriptionIdentifiers++;
                    break;
                case PropertyId.UserProperty:
                    userProperties++;
                    userPropertiesLength += property.Length;
                    break;
            }
        }

        error = reader.Error;
        if (error.IsError)
        {
            return false;
        }

        properties = new PublishProperties(
            block, reader.Seen, payloadFormatIndicator, messageExpiryInterval, topicAlias,
            contentType, responseTopic, correlationData, subscriptionIdentifiers, userProperties, userPropertiesLength);
        return true;
    }
}
