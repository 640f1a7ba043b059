namespace Bifro.Streams;

/// <summary>
/// Event counts. <paramref name="Delivered"/>: an observer processed the event.
/// <paramref name="Dropped"/>: the consumer's buffer was full, so the event was never queued for it.
/// <paramref name="Undelivered"/>: queued, but no observer processed it (a grain that did not resume its
/// subscription, an observer that threw, a delivery call that failed or timed out).
/// </summary>
public readonly record struct StreamDeliveryCounters(long Delivered, long Dropped, long Undelivered);
