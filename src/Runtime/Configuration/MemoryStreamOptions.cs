namespace Bifro.Configuration;

/// <summary>Options of a memory stream provider (AddMemoryStreams), named after the provider.</summary>
public sealed class MemoryStreamOptions
{
    /// <summary>
    /// Events a subscription holds for its consumer (10,000 by default). When a consumer is this far
    /// behind, new items for that consumer are dropped and counted; producers and other consumers are
    /// not slowed.
    /// </summary>
    public int BufferSize { get; set; } = 10_000;

    /// <summary>Events delivered to a consumer in one call (100 by default).</summary>
    public int MaxBatchSize { get; set; } = 100;

    /// <summary>
    /// In a cluster: events this node holds for another node's subscribers (10,000 by default). When that
    /// node is this far behind, new events for it are dropped and counted.
    /// </summary>
    public int NodeBufferSize { get; set; } = 10_000;

    /// <summary>In a cluster: events sent to another node in one call at most (1,000 by default).</summary>
    public int MaxNodeBatchSize { get; set; } = 1_000;

    /// <summary>How long a stopping silo waits for buffered events to reach their consumers (5 seconds by default).</summary>
    public TimeSpan DrainTimeout { get; set; } = TimeSpan.FromSeconds(5);
}
