using System.Globalization;
using Bifro.EndToEnd.Tests.Clients;
using Xunit;

namespace Bifro.EndToEnd.Tests.Cluster;

/// <summary>
/// An edge-only node (issue 3, section 5) finds the silos' gateways in the membership table and serves MQTT
/// clients like any other node: messages cross between it and the silo nodes, and sessions move between them.
/// </summary>
[Trait("Category", "Cluster")]
[Collection(ClusterCollection.Name)]
public sealed class EdgeNodeTests(EdgeClusterFixture fixture) : IClassFixture<EdgeClusterFixture>
{
    private readonly BifroCluster _cluster = fixture.Cluster;
    private readonly ClusterNode _edge = fixture.Edge;

    [Fact(Timeout = 30_000)]
    public async Task EdgeOnlyNode_JoinedAsClient_NotAsSilo()
    {
        await ClusterAssert.LineAsync(_edge.Broker.Process, "Cluster client connected to 2 gateways", _cluster);
        Assert.DoesNotContain("joining the cluster", _edge.Output, StringComparison.Ordinal);
        var rows = await MembershipRow.ReadAllAsync(_cluster.ConnectionString);
        Assert.Equal(_cluster.RunningSilos.Select(n => n.SiloPort).Order(), rows.Select(r => r.Port).Order());
    }

    [Theory(Timeout = 60_000)]
    [InlineData("311", 1, true)]
    [InlineData("311", 2, false)]
    [InlineData("5", 1, false)]
    [InlineData("5", 2, true)]
    public async Task Publish_BetweenEdgeOnlyNodeAndSiloNode_ReceivedAtItsQoS(string version, int qos, bool subscriberOnEdge)
    {
        var topic = $"edge/{version}/{qos}/{(subscriberOnEdge ? "to-edge" : "from-edge")}";
        var (subscriberNode, publisherNode) = subscriberOnEdge ? (_edge, _cluster[1]) : (_cluster[0], _edge);
        var level = qos.ToString(CultureInfo.InvariantCulture);
        await using var subscriber = await Mosquitto.StartSubscriberAsync(subscriberNode.Broker, version, "-t", topic, "-q", level, "-v", "-C", "1");

        await ClusterAssert.SucceedsAsync(Mosquitto.PublishAsync(publisherNode.Broker, version, "-t", topic, "-m", $"via {publisherNode.Name}", "-q", level), _cluster);

        await ClusterAssert.ExitsAsync(subscriber, _cluster);
        Assert.Equal([$"{topic} via {publisherNode.Name}"], Mosquitto.Messages(subscriber, topic));
        Assert.Equal([new ReceivedPublish(false, qos, false, topic)], Mosquitto.ReceivedPublishes(subscriber.Output));
    }

    [Theory(Timeout = 60_000)]
    [InlineData("5", "edge-to-silo")]
    [InlineData("5", "silo-to-edge")]
    [InlineData("311", "edge-to-silo")]
    public async Task Takeover_BetweenEdgeOnlyNodeAndSiloNode_SessionContinues(string version, string direction)
    {
        var (first, second) = direction == "edge-to-silo" ? (2, 0) : (0, 2);
        await ClusterScenario.AssertAsync(_cluster, "takeover", $"edge-takeover-{version}-{direction}", ("version", version), ("first", first), ("second", second), ("publisher", 1));
    }
}
