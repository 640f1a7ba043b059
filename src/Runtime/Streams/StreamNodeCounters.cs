namespace Bifro.Streams;

/// <summary>
/// What this node sent to another node's subscribers of a provider's streams (in a cluster).
/// <paramref name="Buffered"/>: events waiting to be sent now. <paramref name="Sent"/>: events the node
/// took. <paramref name="Dropped"/>: events never queued because the node was too far behind.
/// <paramref name="Failed"/>: events whose batch could not be delivered (the node was unreachable or went away).
/// </summary>
public sealed record StreamNodeCounters(string Node, int Buffered, long Sent, long Dropped, long Failed);
