using Bifro.Runtime;

namespace Bifro.Grains;

/// <summary>
/// Retained messages of one shard of a tenant, keyed "{tenant}/{shard}"; a topic lives in shard
/// hash(first level) mod shard count, so a filter whose first level is not a wildcard asks one shard.
/// </summary>
public interface IRetainGrain : IGrainWithStringKey
{
    /// <summary>
    /// Stores or replaces the topic's retained message; an empty payload clears it. A new topic past the
    /// tenant's MaxRetainedTopics is not stored (<see cref="RetainResult.QuotaExceeded"/>).
    /// </summary>
    Task<RetainResult> SetAsync(MqttMessage message);

    /// <summary>Retained messages whose topic matches <paramref name="filter"/>, at most <paramref name="limit"/>.</summary>
    [ReadOnly]
    Task<MqttMessage[]> MatchAsync(string filter, int limit);

    /// <summary>
    /// Topics with a retained message in this shard. Interleaves: a shard storing a new topic asks the
    /// tenant's other shards for their counts, and two shards doing so at once must not wait on each other.
    /// </summary>
    [AlwaysInterleave]
    Task<int> CountAsync();
}

public enum RetainResult : byte
{
    Stored = 0,
    Replaced = 1,
    Cleared = 2,
    NothingToClear = 3,

    /// <summary>A new topic was not retained: the tenant has MaxRetainedTopics already.</summary>
    QuotaExceeded = 4,
}
