namespace Bifro.Grains;

/// <summary>
/// Consumes events (BifroMQ's IEventCollector, as a stream consumer). Every collector named in
/// Bifro:Events:Collectors is active at once on every silo: built in ("log", "metrics", "webhook"), or a
/// class from a plugin assembly (Bifro:Events:Plugins:{name}). A collector gets the events of the
/// tenants whose event stream its silo consumes, in batches, in the order each node reported them; calls
/// to one collector never overlap. It has its own bounded queue (Bifro:Events:CollectorQueueSize): a slow
/// collector misses events (they are counted and logged), it never slows the MQTT path nor the others.
/// </summary>
/// <remarks>Events are shared with the other collectors: read them, do not change them. A collector that implements IAsyncDisposable is disposed when the node stops.</remarks>
public interface IEventCollector
{
    /// <summary>A batch of events. An exception is logged and counted; the next batch comes all the same.</summary>
    ValueTask ReportAsync(IReadOnlyList<BifroEvent> events, CancellationToken cancellationToken);
}
