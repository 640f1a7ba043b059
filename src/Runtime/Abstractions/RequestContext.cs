using System.Collections.Immutable;

namespace Bifro.Runtime;

/// <summary>
/// Values that flow with calls: set here, they travel with every call made from this async flow, and
/// the callee sees them; changes in the callee do not flow back (Orleans semantics). The dictionary is
/// immutable, so capturing it for a message costs nothing and no call can change another's view.
/// Values cross processes, so they must be serializable; callees treat them as caller-supplied data.
/// </summary>
public static class RequestContext
{
    private static readonly AsyncLocal<ImmutableDictionary<string, object>?> s_current = new();

    public static IEnumerable<string> Keys => s_current.Value?.Keys ?? [];

    public static IEnumerable<KeyValuePair<string, object>> Entries => s_current.Value ?? ImmutableDictionary<string, object>.Empty;

    public static object? Get(string key) => s_current.Value is { } values && values.TryGetValue(key, out var value) ? value : null;

    public static void Set(string key, object value)
    {
        ArgumentNullException.ThrowIfNull(value);
        s_current.Value = (s_current.Value ?? ImmutableDictionary<string, object>.Empty.WithComparers(StringComparer.Ordinal)).SetItem(key, value);
    }

    public static bool Remove(string key)
    {
        var values = s_current.Value;
        if (values is null || !values.ContainsKey(key))
        {
            return false;
        }

        var next = values.Remove(key);
        s_current.Value = next.IsEmpty ? null : next;
        return true;
    }

    public static void Clear() => s_current.Value = null;

    /// <summary>The current values, for a message to carry.</summary>
    internal static ImmutableDictionary<string, object>? Export() => s_current.Value;

    /// <summary>Makes a received message's values current for the request's async flow.</summary>
    internal static void Import(ImmutableDictionary<string, object>? values) => s_current.Value = values;
}
