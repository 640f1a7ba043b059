namespace Bifro.Grains;

/// <summary>MQTT topic filter matching on strings, for grains (retained messages); the edge has its own span-based tree.</summary>
public static class TopicFilter
{
    /// <summary>
    /// Whether <paramref name="filter"/> matches <paramref name="topic"/>: '+' is one level, '#' the parent
    /// level and everything below it, and a first-level wildcard does not match a '$' topic [MQTT-4.7.2-1].
    /// </summary>
    public static bool Matches(ReadOnlySpan<char> filter, ReadOnlySpan<char> topic)
    {
        if (topic.Length > 0 && topic[0] == '$' && filter.Length > 0 && (filter[0] == '+' || filter[0] == '#'))
        {
            return false;
        }

        while (true)
        {
            var f = filter.IndexOf('/');
            var fLevel = f < 0 ? filter : filter[..f];
            if (fLevel.Length == 1 && fLevel[0] == '#')
            {
                return true;
            }

            var t = topic.IndexOf('/');
            var tLevel = t < 0 ? topic : topic[..t];
            if (!(fLevel.Length == 1 && fLevel[0] == '+') && !fLevel.SequenceEqual(tLevel))
            {
                return false;
            }

            if (f < 0 || t < 0)
            {
                // Both end together, or the filter continues with "/#" which matches the parent level.
                return f < 0 && t < 0 || t < 0 && filter[(f + 1)..] is "#";
            }

            filter = filter[(f + 1)..];
            topic = topic[(t + 1)..];
        }
    }

    /// <summary>The first level of a topic or filter (retained messages are sharded by it).</summary>
    public static ReadOnlySpan<char> FirstLevel(ReadOnlySpan<char> topicOrFilter)
    {
        var slash = topicOrFilter.IndexOf('/');
        return slash < 0 ? topicOrFilter : topicOrFilter[..slash];
    }

    public static bool IsWildcard(ReadOnlySpan<char> level) => level is "+" or "#";
}
