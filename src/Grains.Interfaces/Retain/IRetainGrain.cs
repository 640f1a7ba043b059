using Bifro.Runtime;

namespace Bifro.Grains;

/// <summary>
/// Retained messages of one shard of a tenant, keyed "{tenant}/{shard}"; a topic lives in shard
/// hash(first level) mod shard count, so a filter whose first level is not a wildcard asks one shard.
/// </summary>
public interface IRetainGrain : IGrainWithStringKey
{
    /// <summary>Stores or replaces the topic's retained message; an empty payload clears it.</summary>
    Task<RetainResult> SetAsync(MqttMessage message);

    /// <summary>Retained messages whose topic matches <paramref name="filter"/>, at most <paramref name="limit"/>.</summary>
    [ReadOnly]
    Task<MqttMessage[]> MatchAsync(string filter, int limit);

    [ReadOnly]
    Task<int> CountAsync();
}

public enum RetainResult : byte
{
    Stored = 0,
    Replaced = 1,
    Cleared = 2,
    NothingToClear = 3,
}
