namespace Bifro.MqttEdge.Codec.Validation;

/// <summary>Shared subscriptions, <c>$share/{ShareName}/{filter}</c> (section 4.8.2).</summary>
internal static class SharedSubscription
{
    /// <summary>The prefix that makes a filter shared.</summary>
    public static ReadOnlySpan<byte> Prefix => "$share/"u8;

    /// <summary>
    /// Splits a shared subscription filter (UTF-8, already validated) into its share name and its
    /// topic filter. The filter after the share name must itself be a valid topic filter.
    /// </summary>
    public static SharedSubscriptionStatus TryParse(
        ReadOnlySpan<byte> utf8, out ReadOnlySpan<byte> shareName, out ReadOnlySpan<byte> topicFilter)
    {
        shareName = default;
        topicFilter = default;
        if (!utf8.StartsWith(Prefix))
        {
            return SharedSubscriptionStatus.NotShared;
        }

        var rest = utf8[Prefix.Length..];
        var slash = rest.IndexOf((byte)'/');

        // [MQTT-4.8.2-1] A Shared Subscription's Topic Filter MUST start with $share/ and MUST contain a
        // ShareName that is at least one character long. "$share/name" with no second '/' has no filter.
        if (slash <= 0)
        {
            return SharedSubscriptionStatus.Invalid;
        }

        var name = rest[..slash];

        // [MQTT-4.8.2-2] The ShareName MUST NOT contain the characters "/", "+" or "#".
        // ('/' cannot occur: the name ends at the first '/'.)
        if (name.ContainsAny((byte)'+', (byte)'#'))
        {
            return SharedSubscriptionStatus.Invalid;
        }

        var filter = rest[(slash + 1)..];

        // [MQTT-4.8.2-2] ... MUST be followed by a "/" character and a Topic Filter: non-empty and valid.
        if (!TopicValidator.IsValidTopicFilter(filter))
        {
            return SharedSubscriptionStatus.Invalid;
        }

        shareName = name;
        topicFilter = filter;
        return SharedSubscriptionStatus.Valid;
    }
}
