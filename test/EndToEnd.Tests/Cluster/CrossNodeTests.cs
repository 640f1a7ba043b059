using System.Globalization;
using Bifro.EndToEnd.Tests.Clients;
using Bifro.TestKit;
using Xunit;

namespace Bifro.EndToEnd.Tests.Cluster;

/// <summary>
/// Three nodes, clients on different ones (issue 3, section 6): every QoS, retained messages, wills and
/// shared subscriptions across nodes, and a session taken over on another node.
/// </summary>
[Trait("Category", "Cluster")]
[Collection(ClusterCollection.Name)]
public sealed class CrossNodeTests(ClusterFixture fixture) : IClassFixture<ClusterFixture>
{
    private readonly BifroCluster _cluster = fixture.Cluster;

    [Theory(Timeout = 60_000)]
    [InlineData("311", 0)]
    [InlineData("311", 1)]
    [InlineData("311", 2)]
    [InlineData("5", 0)]
    [InlineData("5", 1)]
    [InlineData("5", 2)]
    public async Task Publish_SubscriberOnAnotherNode_ReceivedOnceAtItsQoS(string version, int qos)
    {
        var topic = $"cluster/qos/{version}/{qos}";
        var level = qos.ToString(CultureInfo.InvariantCulture);
        await using var subscriber = await Mosquitto.StartSubscriberAsync(_cluster[0].Broker, version, "-t", topic, "-q", level, "-v", "-C", "1");

        var published = await ClusterAssert.SucceedsAsync(
            Mosquitto.PublishAsync(_cluster[1].Broker, version, "-d", "-t", topic, "-m", $"from node 1 at {qos}", "-q", level), _cluster);
        await ClusterAssert.ExitsAsync(subscriber, _cluster);

        // The publisher's handshake completes on its own node once the message is handed on.
        Assert.Equal(qos == 1, published.StandardOutput.Contains("received PUBACK", StringComparison.Ordinal));
        Assert.Equal(qos == 2, published.StandardOutput.Contains("received PUBCOMP", StringComparison.Ordinal));

        // Delivered once, at the QoS granted, with the subscriber's side of the handshake.
        Assert.Equal([new ReceivedPublish(false, qos, false, topic)], Mosquitto.ReceivedPublishes(subscriber.Output));
        Assert.Equal([$"{topic} from node 1 at {qos}"], Mosquitto.Messages(subscriber, topic));
        Assert.Equal(qos == 1, subscriber.Output.Contains("sending PUBACK", StringComparison.Ordinal));
        Assert.Equal(qos == 2, subscriber.Output.Contains("sending PUBCOMP", StringComparison.Ordinal));
    }

    [Theory(Timeout = 60_000)]
    [InlineData("311")]
    [InlineData("5")]
    public async Task Retained_SetOnOneNode_NewSubscriberOnAnotherGetsIt(string version)
    {
        var topic = $"cluster/retained/{version}";
        await ClusterAssert.SucceedsAsync(Mosquitto.PublishAsync(_cluster[1].Broker, version, "-t", topic, "-m", "kept on node 1", "-q", "1", "-r"), _cluster);

        var later = await ClusterAssert.SucceedsAsync(
            Mosquitto.SubscribeAsync(_cluster[2].Broker, version, "-d", "-t", topic, "-q", "1", "-v", "-C", "1", "-W", "15"), _cluster);

        // [MQTT-3.3.1-6] A new subscription gets the retained message, with RETAIN 1.
        Assert.Equal([$"{topic} kept on node 1"], Mosquitto.Messages(later.StandardOutput, topic));
        Assert.Equal([new ReceivedPublish(false, 1, true, topic)], Mosquitto.ReceivedPublishes(later.StandardOutput));

        // Cleared on a third node: nobody gets it any more. At QoS 1, so that the clear is done when the
        // publisher returns (its PUBACK waits for the store); at QoS 0 the node could still be reading it when
        // the next subscriber's route arrives, and deliver the empty message to it live.
        await ClusterAssert.SucceedsAsync(Mosquitto.PublishAsync(_cluster[0].Broker, version, "-t", topic, "-r", "-n", "-q", "1"), _cluster);
        var after = await Mosquitto.SubscribeAsync(_cluster[1].Broker, version, "-t", topic, "-q", "1", "-v", "-W", "2");
        Assert.Empty(Mosquitto.Messages(after.StandardOutput, topic));
    }

    [Theory(Timeout = 60_000)]
    [InlineData("311")]
    [InlineData("5")]
    public async Task Will_ClientKilledOnOneNode_PublishedToSubscriberOnAnother(string version)
    {
        var root = $"cluster/will/{version}";
        var clientId = $"cluster-will-{version}";
        await using var watcher = await Mosquitto.StartSubscriberAsync(_cluster[0].Broker, version, "-t", root + "/#", "-q", "1", "-v", "-C", "1");
        await using var client = await Mosquitto.StartSubscriberAsync(
            _cluster[1].Broker, version, "-i", clientId, "-t", $"cluster/unused/{clientId}", "--will-topic", root + "/gone", "--will-payload", "offline", "--will-qos", "1");

        // [MQTT-3.1.2-8] The connection on node 1 ends without DISCONNECT: its will reaches node 0.
        client.Kill();

        await ClusterAssert.ExitsAsync(watcher, _cluster);
        Assert.Equal([root + "/gone offline"], Mosquitto.Messages(watcher, root));
        Assert.Equal([new ReceivedPublish(false, 1, false, root + "/gone")], Mosquitto.ReceivedPublishes(watcher.Output));
    }

    [Theory(Timeout = 60_000)]
    [InlineData("311")]
    [InlineData("5")]
    public async Task SharedSubscription_MembersOnTwoNodes_EachMessageReachesExactlyOne(string version)
    {
        const int count = 30;
        var root = $"cluster/shared/{version}";
        var end = $"cluster/shared-end/{version}";
        var filter = $"$share/cluster{version}/{root}/#";

        // Each member also subscribes (not shared) to an end topic: once both have its message, they have everything published before it.
        await using var first = await Mosquitto.StartSubscriberAsync(_cluster[0].Broker, version, "-t", filter, "-t", end, "-q", "1", "-v");
        await using var second = await Mosquitto.StartSubscriberAsync(_cluster[2].Broker, version, "-t", filter, "-t", end, "-q", "1", "-v");

        var payloads = Enumerable.Range(1, count).Select(i => $"m{i}").ToList();
        await ClusterAssert.SucceedsAsync(Mosquitto.PublishLinesAsync(_cluster[1].Broker, version, payloads, "-t", root + "/x", "-q", "1"), _cluster);
        await ClusterAssert.SucceedsAsync(Mosquitto.PublishAsync(_cluster[1].Broker, version, "-t", end, "-m", "end", "-q", "1"), _cluster);
        await ClusterAssert.LineAsync(first, end + " end", _cluster);
        await ClusterAssert.LineAsync(second, end + " end", _cluster);

        // [MQTT-4.8.2] Each message goes to one member of the group, whichever node it is on: together they have every message once.
        var firstGot = Mosquitto.Messages(first, root);
        var secondGot = Mosquitto.Messages(second, root);
        Assert.Equal(payloads.Select(p => $"{root}/x {p}").Order(StringComparer.Ordinal), firstGot.Concat(secondGot).Order(StringComparer.Ordinal));
        Assert.NotEmpty(firstGot);
        Assert.NotEmpty(secondGot);
    }

    [Theory(Timeout = 60_000)]
    [InlineData("311")]
    [InlineData("5")]
    public async Task Takeover_SameClientIdOnAnotherNode_SessionContinuesThere(string version) =>
        await ClusterScenario.AssertAsync(_cluster, "takeover", $"takeover{version}", ("version", version), ("first", 0), ("second", 1), ("publisher", 2));

    [Fact(Timeout = 60_000)]
    public async Task Takeover_MosquittoOnAnotherNode_OldConnectionGetsDisconnect0x8E()
    {
        const string clientId = "cluster-takeover-mosquitto";
        var topic = $"cluster/takeover/{clientId}";
        await using var older = await Mosquitto.StartSubscriberAsync(_cluster[0].Broker, "5", "-i", clientId, "-c", "-x", "60", "-t", topic, "-q", "1", "-v");

        await using var newer = await Mosquitto.StartSubscriberAsync(_cluster[2].Broker, "5", "-i", clientId, "-c", "-x", "60", "-t", topic, "-q", "1", "-v");

        // [MQTT-3.1.4-3] The connection on node 0 is closed with Session Taken Over; the session lives on at node 2.
        await ClusterAssert.LineAsync(older, "Received DISCONNECT (142)", _cluster);
        await ClusterAssert.SucceedsAsync(Mosquitto.PublishAsync(_cluster[1].Broker, "5", "-t", topic, "-m", "after takeover", "-q", "1"), _cluster);
        await ClusterAssert.LineAsync(newer, $"{topic} after takeover", _cluster);
        Assert.DoesNotContain($"{topic} after takeover", older.Output, StringComparison.Ordinal);

        // Ends the session (expiry 0 on a clean start), so nothing stays behind in the shared cluster.
        newer.Kill();
        await ClusterAssert.SucceedsAsync(Mosquitto.PublishAsync(_cluster[2].Broker, "5", "-i", clientId, "-t", topic, "-n"), _cluster);
    }
}
