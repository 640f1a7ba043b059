using Bifro.Runtime;

namespace Bifro.Streams;

/// <summary>One subscription's state and counts (see <see cref="StreamDeliveryCounters"/> for their meaning).</summary>
/// <param name="HandleId">The subscription's handle id.</param>
/// <param name="StreamId">The stream.</param>
/// <param name="Consumer">The consuming grain's id, or "local" for an observer outside any grain.</param>
/// <param name="IsImplicit">Whether it comes from [ImplicitStreamSubscription].</param>
/// <param name="Buffered">Events waiting for the consumer now.</param>
/// <param name="Counters">What happened to this subscription's events so far.</param>
public sealed record StreamSubscriptionCounters(
    Guid HandleId, StreamId StreamId, string Consumer, bool IsImplicit, int Buffered, StreamDeliveryCounters Counters);
