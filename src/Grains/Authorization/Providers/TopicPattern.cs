namespace Bifro.Grains.Authorization.Providers;

/// <summary>
/// ACL topic patterns: MQTT topic filters ('+' one level, '#' the rest) with placeholders %u (user),
/// %c (client id) and %t (tenant). A placeholder whose value is empty or holds '/', '+' or '#' makes
/// the pattern match nothing, so that a client id such as "#" cannot widen a rule.
/// </summary>
internal static class TopicPattern
{
    /// <summary>The pattern with its placeholders replaced, or null when a value cannot stand in a topic level.</summary>
    public static string? Expand(string pattern, ClientInfo client)
    {
        if (!pattern.Contains('%', StringComparison.Ordinal))
        {
            return pattern;
        }

        var result = new System.Text.StringBuilder(pattern.Length + 16);
        for (var i = 0; i < pattern.Length; i++)
        {
            var c = pattern[i];
            if (c != '%' || i + 1 >= pattern.Length)
            {
                result.Append(c);
                continue;
            }

            string? value = pattern[i + 1] switch
            {
                'u' => client.UserId,
                'c' => client.ClientId,
                't' => client.TenantId,
                _ => null,
            };
            if (pattern[i + 1] is not ('u' or 'c' or 't'))
            {
                result.Append(c);
                continue;
            }

            if (string.IsNullOrEmpty(value) || value.AsSpan().IndexOfAny('/', '+', '#') >= 0 || value.Contains('\0', StringComparison.Ordinal))
            {
                return null;
            }

            result.Append(value);
            i++;
        }

        return result.ToString();
    }

    /// <summary>Whether the topic name <paramref name="topic"/> matches the filter <paramref name="pattern"/> [MQTT-4.7].</summary>
    public static bool Matches(string pattern, string topic)
    {
        // [MQTT-4.7.2-1] A filter starting with a wildcard does not match topics starting with '$'.
        if (topic.StartsWith('$') && (pattern.StartsWith('+') || pattern.StartsWith('#')))
        {
            return false;
        }

        var p = pattern.AsSpan();
        var t = topic.AsSpan();
        while (true)
        {
            var pLevel = NextLevel(ref p, out var pMore);
            if (pLevel.SequenceEqual("#"))
            {
                return true;
            }

            var tLevel = NextLevel(ref t, out var tMore);
            if (!pLevel.SequenceEqual("+") && !pLevel.SequenceEqual(tLevel))
            {
                return false;
            }

            if (!pMore || !tMore)
            {
                // "a/#" also matches "a" [MQTT-4.7.1-2].
                return pMore == tMore || (pMore && p.SequenceEqual("#"));
            }
        }
    }

    /// <summary>
    /// Whether every topic that the subscription filter <paramref name="filter"/> matches is matched by
    /// <paramref name="pattern"/>: "sensors/#" covers "sensors/+/temp", "sensors/+" does not cover "sensors/#".
    /// </summary>
    public static bool Covers(string pattern, string filter)
    {
        if (filter.StartsWith('$') && (pattern.StartsWith('+') || pattern.StartsWith('#')))
        {
            return false;
        }

        var p = pattern.AsSpan();
        var f = filter.AsSpan();
        while (true)
        {
            var pLevel = NextLevel(ref p, out var pMore);
            if (pLevel.SequenceEqual("#"))
            {
                return true;
            }

            var fLevel = NextLevel(ref f, out var fMore);
            if (fLevel.SequenceEqual("#"))
            {
                return false;
            }

            var levelCovered = pLevel.SequenceEqual("+") || (!fLevel.SequenceEqual("+") && pLevel.SequenceEqual(fLevel));
            if (!levelCovered)
            {
                return false;
            }

            if (!pMore || !fMore)
            {
                return pMore == fMore || (pMore && p.SequenceEqual("#"));
            }
        }
    }

    private static ReadOnlySpan<char> NextLevel(ref ReadOnlySpan<char> rest, out bool more)
    {
        var slash = rest.IndexOf('/');
        if (slash < 0)
        {
            var level = rest;
            rest = default;
            more = false;
            return level;
        }

        var head = rest[..slash];
        rest = rest[(slash + 1)..];
        more = true;
        return head;
    }
}
