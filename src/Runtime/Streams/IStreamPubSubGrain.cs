namespace Bifro.Runtime.Streams;

/// <summary>
/// The rendezvous of one stream of one memory stream provider in a cluster, keyed
/// "{provider}/{stream}" (Orleans' PubSubRendezvousGrain): which nodes have explicit subscribers, and
/// which nodes produce to it, so that a producer sends each event once to every consuming node. It
/// keeps this in memory only, as the provider keeps its events: when its silo goes, nodes register
/// again with the new activation (after every membership change). Implicit subscriptions need no
/// rendezvous: a producer calls the consumer grain, wherever it lives.
/// </summary>
internal interface IStreamPubSubGrain : IGrainWithStringKey
{
    /// <summary>
    /// <paramref name="node"/> produces to the stream: it is told of every later change of the consuming
    /// nodes, and gets the current ones now.
    /// </summary>
    Task<StreamConsumerNodes> RegisterProducerAsync(string provider, StreamId streamId, string node);

    /// <summary>
    /// <paramref name="node"/> has (or no longer has) explicit subscribers; an older <paramref name="revision"/>
    /// than the node's last is ignored. Returns once every producer has been told (or a timeout passed), so
    /// that a producer that produces after SubscribeAsync returned reaches the new subscriber.
    /// </summary>
    Task SetConsumerAsync(string provider, StreamId streamId, string node, long revision, bool consuming);

    /// <summary>The node is gone: it neither consumes nor produces any more.</summary>
    Task NodeLostAsync(string node);
}

/// <summary>The nodes with explicit subscribers to a stream, as its rendezvous says at (<see cref="Epoch"/>, <see cref="Version"/>).</summary>
[GenerateSerializer]
internal sealed class StreamConsumerNodes
{
    [Id(0)]
    public string Provider { get; init; } = string.Empty;

    [Id(1)]
    public StreamId StreamId { get; init; }

    /// <summary>When the rendezvous activation started (UTC ticks): a later activation's lists win over an earlier one's.</summary>
    [Id(2)]
    public long Epoch { get; init; }

    /// <summary>Increases with every change within one activation.</summary>
    [Id(3)]
    public long Version { get; init; }

    [Id(4)]
    public string[] Nodes { get; init; } = [];

    /// <summary>Whether this list is newer than the one known at (<paramref name="epoch"/>, <paramref name="version"/>).</summary>
    public bool IsNewerThan(long epoch, long version) => Epoch > epoch || (Epoch == epoch && Version > version);
}
