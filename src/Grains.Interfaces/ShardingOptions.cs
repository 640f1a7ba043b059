namespace Bifro.Grains;

/// <summary>How per-tenant grains are sharded. Every node of a cluster must agree.</summary>
public sealed class ShardingOptions
{
    /// <summary>Route shards per tenant (4 by default).</summary>
    public int RouteShards { get; set; } = 4;

    /// <summary>Retained-message shards per tenant (4 by default).</summary>
    public int RetainShards { get; set; } = 4;

    public int RouteShardOf(string sessionKey) => (int)(StableHashOf(sessionKey) % (uint)RouteShards);

    public int RetainShardOf(ReadOnlySpan<char> topicOrFilter) => (int)(StableHashOf(TopicFilter.FirstLevel(topicOrFilter)) % (uint)RetainShards);

    private static uint StableHashOf(ReadOnlySpan<char> value)
    {
        // FNV-1a over UTF-16 code units: stable across processes and runs, unlike string.GetHashCode.
        var hash = 2166136261u;
        foreach (var c in value)
        {
            hash = unchecked((hash ^ c) * 16777619u);
        }

        return hash;
    }
}
