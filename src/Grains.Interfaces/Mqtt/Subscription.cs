using Bifro.Runtime;

namespace Bifro.Grains;

/// <summary>One subscription of a session: a filter (without the $share prefix), its share group and options.</summary>
[GenerateSerializer]
public sealed record Subscription(
    [property: Id(0)] string Filter,
    [property: Id(1)] string? ShareGroup,
    [property: Id(2)] byte QoS,
    [property: Id(3)] bool NoLocal,
    [property: Id(4)] bool RetainAsPublished,
    [property: Id(5)] byte RetainHandling,
    [property: Id(6)] uint SubscriptionId)
{
    /// <summary>The filter as the client wrote it: "$share/{group}/{filter}" for shared subscriptions.</summary>
    public string ClientFilter => ShareGroup is null ? Filter : $"$share/{ShareGroup}/{Filter}";

    public bool SameFilter(Subscription other) =>
        string.Equals(Filter, other.Filter, StringComparison.Ordinal) && string.Equals(ShareGroup, other.ShareGroup, StringComparison.Ordinal);
}
