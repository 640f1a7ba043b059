namespace Bifro.MqttEdge.Codec.Validation;

/// <summary>
/// Topic name and topic filter syntax (section 4.7). Wildcards and '/' are ASCII, so the checks run on
/// the UTF-8 bytes directly: a multi-byte sequence never contains a byte below 0x80.
/// </summary>
internal static class TopicValidator
{
    private const byte Separator = (byte)'/';
    private const byte SingleLevel = (byte)'+';
    private const byte MultiLevel = (byte)'#';

    /// <summary>
    /// Syntax of a topic name on UTF-8 that is already validated: at least one character, no wildcard.
    /// </summary>
    public static bool IsValidTopicName(ReadOnlySpan<byte> utf8) =>
        // [MQTT-4.7.3-1] at least one character; [MQTT-3.3.2-2] no wildcard characters.
        !utf8.IsEmpty && !utf8.ContainsAny(SingleLevel, MultiLevel);

    /// <summary>
    /// A topic name from untrusted input (a will topic, a response topic): UTF-8 rules of section 1.5.4
    /// (MalformedPacket), then <see cref="IsValidTopicName"/> (TopicNameInvalid).
    /// </summary>
    public static bool TryValidateTopicName(ReadOnlySpan<byte> utf8, out DecodeError error)
    {
        if (!Utf8Validator.TryValidate(utf8, out error))
        {
            return false;
        }

        if (utf8.IsEmpty)
        {
            // [MQTT-4.7.3-1] All Topic Names and Topic Filters MUST be at least one character long.
            error = DecodeError.TopicNameInvalid("MQTT-4.7.3-1", "empty topic name");
            return false;
        }

        if (utf8.ContainsAny(SingleLevel, MultiLevel))
        {
            // [MQTT-3.3.2-2] The Topic Name MUST NOT contain wildcard characters.
            error = DecodeError.TopicNameInvalid("MQTT-3.3.2-2", "topic name contains a wildcard");
            return false;
        }

        return true;
    }

    /// <summary>
    /// Syntax of a topic filter on UTF-8 that is already validated: at least one character, '#' only
    /// as a whole last level, '+' only as a whole level. Shared subscriptions are not special here:
    /// see <see cref="SharedSubscription.TryParse"/>.
    /// </summary>
    public static bool IsValidTopicFilter(ReadOnlySpan<byte> utf8)
    {
        // [MQTT-4.7.3-1]
        if (utf8.IsEmpty)
        {
            return false;
        }

        // Fast path: no wildcard at all is always valid.
        var wildcard = utf8.IndexOfAny(SingleLevel, MultiLevel);
        if (wildcard < 0)
        {
            return true;
        }

        for (var i = wildcard; i < utf8.Length; i++)
        {
            var b = utf8[i];
            if (b == MultiLevel)
            {
                // [MQTT-4.7.1-1] The multi-level wildcard MUST be specified either on its own or
                // following a topic level separator, and MUST be the last character of the filter.
                if (i != utf8.Length - 1 || (i > 0 && utf8[i - 1] != Separator))
                {
                    return false;
                }
            }
            else if (b == SingleLevel)
            {
                // [MQTT-4.7.1-2] The single-level wildcard MUST occupy an entire level of the filter.
                if ((i > 0 && utf8[i - 1] != Separator) || (i < utf8.Length - 1 && utf8[i + 1] != Separator))
                {
                    return false;
                }
            }
        }

        return true;
    }

    /// <summary>A topic filter from untrusted input: UTF-8 rules (MalformedPacket), then syntax (TopicFilterInvalid).</summary>
    public static bool TryValidateTopicFilter(ReadOnlySpan<byte> utf8, out DecodeError error)
    {
        if (!Utf8Validator.TryValidate(utf8, out error))
        {
            return false;
        }

        if (!IsValidTopicFilter(utf8))
        {
            error = new DecodeError(ReasonCode.TopicFilterInvalid, "MQTT-4.7.1-1", "invalid topic filter");
            return false;
        }

        return true;
    }
}
