namespace Bifro.MqttEdge.Delivery.Matching;

/// <summary>
/// Matches one topic filter against one topic name without a tree: for retained messages (each stored topic
/// against a new subscription's filter) and as the reference the <see cref="TopicTree{TSubscriber}"/> is
/// tested against. Also validates filters.
/// </summary>
/// <remarks>
/// The UTF-8 overload compares bytes: '/', '+', '#' and '$' are ASCII, and no byte of a multi-byte UTF-8
/// sequence is below 0x80, so a level boundary in the bytes is a level boundary in the text.
/// </remarks>
internal static class TopicFilter
{
    /// <summary>Whether <paramref name="filter"/> matches the topic name <paramref name="topic"/>.</summary>
    public static bool Matches(string filter, string topic) => Matches(filter.AsSpan(), topic.AsSpan());

    /// <summary>Whether <paramref name="filter"/> matches the topic name <paramref name="topic"/>.</summary>
    /// <remarks>Both are assumed valid: a well-formed filter, and a topic name without wildcards.</remarks>
    public static bool Matches(ReadOnlySpan<char> filter, ReadOnlySpan<char> topic) =>
        MatchesCore(filter, topic, '/', '+', '#', '$');

    /// <summary>Whether the UTF-8 <paramref name="filter"/> matches the UTF-8 topic name <paramref name="topic"/>.</summary>
    /// <remarks>Both are assumed valid: a well-formed filter, and a topic name without wildcards.</remarks>
    public static bool Matches(ReadOnlySpan<byte> filter, ReadOnlySpan<byte> topic) =>
        MatchesCore(filter, topic, (byte)'/', (byte)'+', (byte)'#', (byte)'$');

    /// <summary>
    /// Whether <paramref name="filter"/> is a well-formed topic filter: at least one character [MQTT-4.7.3-1],
    /// no U+0000 [MQTT-4.7.3-2], '#' only alone as the last level [MQTT-4.7.1-1], and '+' only alone in its
    /// level [MQTT-4.7.1-2].
    /// </summary>
    public static bool IsValid(ReadOnlySpan<char> filter)
    {
        if (filter.IsEmpty)
        {
            return false;
        }

        for (int i = 0; i < filter.Length; i++)
        {
            char c = filter[i];
            if (c == '\0')
            {
                return false;
            }

            bool startsLevel = i == 0 || filter[i - 1] == '/';
            bool endsLevel = i == filter.Length - 1 || filter[i + 1] == '/';
            if (c == '+' && !(startsLevel && endsLevel))
            {
                return false;
            }

            if (c == '#' && !(startsLevel && i == filter.Length - 1))
            {
                return false;
            }
        }

        return true;
    }

    private static bool MatchesCore<T>(
        ReadOnlySpan<T> filter, ReadOnlySpan<T> topic, T separator, T singleLevel, T multiLevel, T dollar)
        where T : IEquatable<T>
    {
        if (filter.IsEmpty || topic.IsEmpty)
        {
            // [MQTT-4.7.3-1] Topic names and filters are at least one character long.
            return false;
        }

        // [MQTT-4.7.2-1] A filter starting with a wildcard does not match a topic name starting with '$'.
        if (topic[0].Equals(dollar) && (filter[0].Equals(singleLevel) || filter[0].Equals(multiLevel)))
        {
            return false;
        }

        // f and t are where the current level starts; Length + 1 means no level is left.
        int f = 0;
        int t = 0;
        while (true)
        {
            int fSeparator = filter[f..].IndexOf(separator);
            int fEnd = fSeparator < 0 ? filter.Length : f + fSeparator;
            ReadOnlySpan<T> filterLevel = filter[f..fEnd];
            if (filterLevel.Length == 1 && filterLevel[0].Equals(multiLevel))
            {
                // '#' matches the parent level and any number of child levels (section 4.7.1.2).
                return true;
            }

            if (t > topic.Length)
            {
                return false;
            }

            int tSeparator = topic[t..].IndexOf(separator);
            int tEnd = tSeparator < 0 ? topic.Length : t + tSeparator;
            bool isSingleLevelWildcard = filterLevel.Length == 1 && filterLevel[0].Equals(singleLevel);
            if (!isSingleLevelWildcard && !filterLevel.SequenceEqual(topic[t..tEnd]))
            {
                return false;
            }

            f = fEnd + 1;
            t = tEnd + 1;
            if (f > filter.Length)
            {
                return t > topic.Length;
            }
        }
    }
}
