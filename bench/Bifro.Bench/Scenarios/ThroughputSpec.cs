namespace Bifro.Bench.Scenarios;

/// <summary>A publish/subscribe scenario: who publishes, who subscribes, at which QoS, and how much.</summary>
/// <param name="MessagesPerPublisher">Phase A count per publisher before <see cref="RunParameters.Scale"/>.</param>
internal sealed record ThroughputSpec(
    string Name,
    string Description,
    int Publishers,
    int Subscribers,
    int Qos,
    Topology Topology,
    long MessagesPerPublisher)
{
    /// <summary>Deliveries per published message.</summary>
    public int Fanout => Topology == Topology.Pairs ? 1 : Subscribers;

    public string PublisherTopic(string prefix, int index) => Topology == Topology.Pairs ? $"{prefix}/{index}" : prefix;

    public string SubscriberTopic(string prefix, int index) => Topology == Topology.Pairs ? $"{prefix}/{index}" : prefix;

    /// <summary>Messages all subscribers together should receive when each publisher sends <paramref name="perPublisher"/>.</summary>
    public long ExpectedDeliveries(long perPublisher) => perPublisher * Publishers * Fanout;
}
