using Xunit;
using Xunit.Abstractions;

namespace Bifro.EndToEnd.Tests.Cluster;

/// <summary>
/// kill -9 of one node of three (issue 3, section 6): the QoS 1 messages of persistent sessions survive,
/// whether the node held the subscriber's connection, the publisher's, or neither but the session's inbox.
/// Each test kills a node, so each has a cluster of its own.
/// </summary>
[Trait("Category", "Cluster")]
[Collection(ClusterCollection.Name)]
public sealed class NodeLossTests(ITestOutputHelper output)
{
    private const int MessageCount = 50;

    /// <summary>Session and inbox activations are logged at Debug: the tests find the nodes that hold a session's grains from them.</summary>
    private static readonly ClusterSettings Settings = new()
    {
        Arguments = ["--Logging:LogLevel:Bifro.Grains.Inbox=Debug", "--Logging:LogLevel:Bifro.Grains.Session=Debug"],
    };

    [Fact(Timeout = 120_000)]
    public async Task KillSubscribersNode_UnacknowledgedQoS1Messages_ReceivedThroughAnotherNode()
    {
        await using var cluster = await BifroCluster.StartAsync(3, Settings);

        // The strongest case: the killed node holds both the subscriber's connection and its inbox, whose
        // messages, in flight and unacknowledged, must come back from storage on another silo.
        var placed = await PlaceSessionAsync(cluster, "kill-subscriber-node", "durable", (inbox, session) => inbox == 0);
        await using var scenario = ClusterScenario.Start(
            cluster, "unacknowledged_survive_node_loss", placed.Id, ("sub", 0), ("pub", 1), ("count", MessageCount));
        await ClusterAssert.LineAsync(scenario, "READY FOR KILL", cluster, TimeSpan.FromSeconds(30));

        // The subscriber holds every PUBACK back: the messages are in flight to a connection that dies with its node.
        await cluster[0].KillAsync();

        await ClusterScenario.AssertExitsAsync(scenario, cluster, output);
        await cluster.WaitForViewAsync();
    }

    [Fact(Timeout = 120_000)]
    public async Task KillInboxNode_QueuedQoS1MessagesOfOfflineSession_ReceivedThroughAnotherNode()
    {
        // One route shard per tenant, so that the test knows where the session's routes live too.
        await using var cluster = await BifroCluster.StartAsync(3, Settings with
        {
            Arguments = [.. Settings.Arguments, "--Bifro:Sharding:RouteShards=1", "--Logging:LogLevel:Bifro.Grains.Routes=Debug"],
        });

        // The inbox on a node that neither client uses, the session and its route shard on nodes that
        // survive: the subscriber's CONNECT is accepted at once, and its inbox must be found again after CONNACK.
        var routes = -1;
        var placed = await PlaceSessionAsync(cluster, "kill-inbox-node", "offline", (inbox, session) =>
        {
            routes = routes >= 0 ? routes : cluster.Nodes.ToList().FindIndex(n => n.Output.Contains("Route shard default/0 activated", StringComparison.Ordinal));
            return inbox != session && inbox != routes;
        });
        var others = Others(cluster, placed.Inbox);

        // Queued, acknowledged to the publisher, and held by the inbox alone.
        await ClusterScenario.AssertAsync(output, cluster, "publish_count", placed.Id, ("pub", others[0]), ("count", MessageCount));
        await cluster[placed.Inbox].KillAsync();

        // Back through the publisher's node first, whose route replica is loaded: nothing but the inbox is missing there.
        await ClusterScenario.AssertAsync(output, cluster, "receive_count", placed.Id, ("via", $"{others[0]},{others[1]}"), ("count", MessageCount));
    }

    [Theory(Timeout = 120_000)]
    [InlineData("inbox")]
    [InlineData("subscriber")]
    [InlineData("publisher")]
    public async Task KillNodeWhilePublishing_EveryAcknowledgedMessageReachesTheSubscriber(string killed)
    {
        await using var cluster = await BifroCluster.StartAsync(3, Settings);

        // Subscriber, publisher and the subscriber's inbox each on a node of their own.
        var placed = await PlaceSessionAsync(cluster, "publishing-" + killed, "roaming", (inbox, session) => true);
        var (subscriber, publisher) = (Others(cluster, placed.Inbox)[0], Others(cluster, placed.Inbox)[1]);
        var victim = killed switch { "inbox" => placed.Inbox, "subscriber" => subscriber, _ => publisher };

        await using var scenario = ClusterScenario.Start(
            cluster, "publish_during_failure", placed.Id, ("sub", subscriber), ("pub", publisher), ("count", 300), ("kill_after", 30), ("interval_ms", 15));
        await ClusterAssert.LineAsync(scenario, "READY FOR KILL", cluster, TimeSpan.FromSeconds(30));
        await cluster[victim].KillAsync();

        await ClusterScenario.AssertExitsAsync(scenario, cluster, output);
    }

    /// <summary>
    /// Makes an offline persistent session (cluster.py prepare_persistent, through node 0) under run ids
    /// "{prefix}-1", "{prefix}-2", … until its inbox and session grains sit where <paramref name="wanted"/>
    /// (inbox node, session node) says: placement hashes the client id over the silos' addresses, which
    /// change with every run, so the tests choose the id rather than hope.
    /// </summary>
    private async Task<(string Id, int Inbox, int Session)> PlaceSessionAsync(BifroCluster cluster, string prefix, string session, Func<int, int, bool> wanted)
    {
        for (var attempt = 1; ; attempt++)
        {
            var id = $"{prefix}-{attempt}";
            await ClusterScenario.AssertAsync(output, cluster, "prepare_persistent", id, ("sub", 0), ("session", session));
            var key = $"default/paho-{id}-{session}";
            var inbox = await NodeThatLoggedAsync(cluster, $"Inbox of {key} activated");
            var owner = await NodeThatLoggedAsync(cluster, $"Session {key} activated");
            if (wanted(inbox, owner) || attempt == 20)
            {
                output.WriteLine($"session {key}: inbox on node {inbox}, session on node {owner}");
                Assert.True(wanted(inbox, owner), "no client id out of 20 placed the session as wanted");
                return (id, inbox, owner);
            }
        }
    }

    /// <summary>The index of the one node whose log has <paramref name="marker"/>.</summary>
    private static async Task<int> NodeThatLoggedAsync(BifroCluster cluster, string marker)
    {
        var found = -1;
        try
        {
            await TestKit.Eventually.TrueAsync(
                () =>
                {
                    var nodes = cluster.Nodes;
                    found = Enumerable.Range(0, nodes.Count).FirstOrDefault(i => nodes[i].Output.Contains(marker, StringComparison.Ordinal), -1);
                    return found >= 0;
                },
                TimeSpan.FromSeconds(10));
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"No node logged '{marker}'.\n{cluster.Describe()}");
        }

        Assert.Single(cluster.Nodes, n => n.Output.Contains(marker, StringComparison.Ordinal));
        return found;
    }

    private static int[] Others(BifroCluster cluster, int node) =>
        Enumerable.Range(0, cluster.Nodes.Count).Where(i => i != node).ToArray();
}
