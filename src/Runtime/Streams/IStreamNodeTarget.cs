namespace Bifro.Runtime.Streams;

/// <summary>
/// A memory stream provider's well-known target on every node, "{node}/streams.{provider}": producers on
/// other nodes send it batches of events for this node's explicit subscribers, and stream rendezvous
/// grains tell it which nodes consume the streams it produces to. Calls to one observer run one at a
/// time, in the order they were sent, so batches from one producing node arrive in order.
/// </summary>
internal interface IStreamNodeTarget : IGrainObserver
{
    /// <summary>Queues the events for this node's explicit subscribers; returns how many found a stream with subscribers here.</summary>
    Task<int> DeliverAsync(StreamNodeBatch batch);

    /// <summary>The rendezvous of a stream this node produces to: these nodes consume it now.</summary>
    Task OnConsumersChangedAsync(StreamConsumerNodes consumers);
}

/// <summary>Events of one producing node for one consuming node, in the order they were produced.</summary>
[GenerateSerializer]
internal sealed class StreamNodeBatch
{
    [Id(0)]
    public string ProducerNode { get; init; } = string.Empty;

    /// <summary>The streams the events belong to; <see cref="StreamIndexes"/> points into it.</summary>
    [Id(1)]
    public StreamId[] Streams { get; init; } = [];

    /// <summary>For event i, its stream in <see cref="Streams"/>.</summary>
    [Id(2)]
    public int[] StreamIndexes { get; init; } = [];

    [Id(3)]
    public StreamDeliveryItem[] Items { get; init; } = [];
}

/// <summary>Names of the stream providers' well-known per-node targets.</summary>
internal static class StreamNodeTargetNames
{
    public static string For(string provider) => "streams." + provider;
}
