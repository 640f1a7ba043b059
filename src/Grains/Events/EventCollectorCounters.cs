namespace Bifro.Grains.Events;

/// <summary>One collector's counts: events waiting, handed to it, dropped because it was behind, and in batches it failed on.</summary>
public sealed record EventCollectorCounters(string Collector, int Queued, long Delivered, long Dropped, long Failed);
