using Bifro.EndToEnd.Tests.Clients;
using Xunit;

namespace Bifro.EndToEnd.Tests.Cluster;

/// <summary>
/// ClusterId separates environments (issue 3, sections 2 and 8): two clusters on one database never see
/// each other's silos or messages, and a peer of another cluster is refused at the handshake, logged with
/// both ids.
/// </summary>
[Trait("Category", "Cluster")]
[Collection(ClusterCollection.Name)]
public sealed class IsolationTests(TwoClustersFixture fixture) : IClassFixture<TwoClustersFixture>
{
    private readonly BifroCluster _prod = fixture.Prod;
    private readonly BifroCluster _staging = fixture.Staging;

    [Fact(Timeout = 60_000)]
    public async Task TwoClustersOnOneDatabase_EachListsAndSeesOnlyItsOwnSilos()
    {
        // Both started; every node's view still holds exactly its own cluster's silos.
        await _prod.WaitForViewAsync();
        await _staging.WaitForViewAsync();

        var rows = await MembershipRow.ReadAllAsync(_prod.ConnectionString);
        Assert.Equal(
            _prod.Nodes.Select(n => n.SiloPort).Order(),
            rows.Where(r => r.DeploymentId == "prod" && r.Status == MembershipRow.Active).Select(r => r.Port).Order());
        Assert.Equal(
            _staging.Nodes.Select(n => n.SiloPort).Order(),
            rows.Where(r => r.DeploymentId == "staging" && r.Status == MembershipRow.Active).Select(r => r.Port).Order());
        Assert.All(rows.Where(r => r.DeploymentId == "prod"), r => Assert.StartsWith("prod-", r.SiloName, StringComparison.Ordinal));
        Assert.All(rows.Where(r => r.DeploymentId == "staging"), r => Assert.StartsWith("staging-", r.SiloName, StringComparison.Ordinal));

        // They never even tried to talk: the transport refused nobody (but the impostors and the rogue silo of the
        // other tests). Its log lines name the peer; the ForeignClusterRefused events that repeat them do not.
        foreach (var node in _prod.Nodes.Concat(_staging.Nodes))
        {
            Assert.DoesNotContain(node.Broker.Process.Lines, line => line.Contains("Refused connection", StringComparison.Ordinal)
                && !line.Contains("(impostor-", StringComparison.Ordinal) && !line.Contains("cluster 'rogue'", StringComparison.Ordinal));
            Assert.DoesNotContain(node.Broker.Process.Lines, line => line.Contains("Refused a silo connection", StringComparison.Ordinal));
        }
    }

    [Theory(Timeout = 60_000)]
    [InlineData("311")]
    [InlineData("5")]
    public async Task PublishInProd_StagingSubscriberOnSameTopicGetsNothing(string version)
    {
        var topic = $"isolation/{version}";
        await using var inProd = await Mosquitto.StartSubscriberAsync(_prod[1].Broker, version, "-t", topic, "-q", "1", "-v");
        await using var inStaging = await Mosquitto.StartSubscriberAsync(_staging[0].Broker, version, "-t", topic, "-q", "1", "-v");

        await ClusterAssert.SucceedsAsync(Mosquitto.PublishAsync(_prod[0].Broker, version, "-t", topic, "-m", "prod only", "-q", "1", "-r"), _prod);
        await ClusterAssert.LineAsync(inProd, $"{topic} prod only", _prod);

        // Staging's own message reaches its subscriber; had prod's crossed over, it would have come first.
        await ClusterAssert.SucceedsAsync(Mosquitto.PublishAsync(_staging[1].Broker, version, "-t", topic, "-m", "staging only", "-q", "1"), _staging);
        await ClusterAssert.LineAsync(inStaging, $"{topic} staging only", _staging);
        Assert.Equal([$"{topic} staging only"], Mosquitto.Messages(inStaging, topic));
        Assert.Equal([$"{topic} prod only"], Mosquitto.Messages(inProd, topic));

        // ServiceId keys stored data: prod's retained message is not staging's.
        var late = await Mosquitto.SubscribeAsync(_staging[1].Broker, version, "-t", topic, "-q", "1", "-v", "-W", "2");
        Assert.Empty(Mosquitto.Messages(late.StandardOutput, topic));
        await ClusterAssert.SucceedsAsync(Mosquitto.PublishAsync(_prod[0].Broker, version, "-t", topic, "-r", "-n"), _prod);
    }

    [Theory(Timeout = 60_000)]
    [InlineData("silo")]
    [InlineData("gateway")]
    public async Task PeerWithWrongClusterId_RefusedAtHandshakeAndLoggedWithBothIds(string port)
    {
        var node = _prod[0];
        var (target, role) = port == "silo" ? (node.SiloPort, RawSiloPeer.Silo) : (node.GatewayPort, RawSiloPeer.Client);
        var identity = $"impostor-{port}";
        var preamble = RawSiloPeer.Preamble(role, "staging", "prod-service", identity);

        // A request frame follows at once: a refused peer must not get it read, let alone answered.
        var (received, closed) = await RawSiloPeer.ExchangeAsync(target, preamble, [0x10, 0x00, 0x00, 0x00, 0x01, 0x02, 0x03], TimeSpan.FromSeconds(10));

        // The node sends its own preamble (both sides send theirs first), then closes: nothing else.
        Assert.True(closed, "the node kept the connection of a peer of another cluster open");
        var reply = RawSiloPeer.ParsePreamble(received);
        Assert.Equal(("prod", "prod-service"), (reply.ClusterId, reply.ServiceId));
        Assert.Equal(received.Length, reply.Length);
        var line = await ClusterAssert.LineAsync(node.Broker.Process, $"({identity})", _prod);
        Assert.Contains("Refused connection", line, StringComparison.Ordinal);
        Assert.Contains("cluster 'staging'", line, StringComparison.Ordinal);
        Assert.Contains("this node is cluster 'prod'", line, StringComparison.Ordinal);
    }

    [Fact(Timeout = 90_000)]
    public async Task SiloWithWrongClusterIdPointedAtProd_RefusedByProdNeverJoinsProdUnchanged()
    {
        // A "rogue" cluster whose table says, by hand, that prod's node 0 is one of its silos.
        var rogueCluster = await BifroCluster.CreateAsync(new ClusterSettings { ClusterId = "rogue", ServiceId = "prod-service", ConnectionString = _prod.ConnectionString });
        await using var _ = rogueCluster;
        var target = _prod[0];
        await MembershipRow.InsertActiveAsync(_prod.ConnectionString, "rogue", target.SiloPort, "prod-node-by-hand");
        var rogue = rogueCluster.LaunchNode();

        // Prod refuses the rogue silo's connection, naming both clusters; the rogue silo refuses prod's preamble too.
        var refusal = await ClusterAssert.LineAsync(target.Broker.Process, "belongs to cluster 'rogue'", _prod, TimeSpan.FromSeconds(30));
        Assert.Contains("Refused connection", refusal, StringComparison.Ordinal);
        Assert.Contains("this node is cluster 'prod'", refusal, StringComparison.Ordinal);
        var seen = await ClusterAssert.LineAsync(rogue.Broker.Process, "belongs to cluster 'prod'", rogueCluster, TimeSpan.FromSeconds(30));
        Assert.Contains("this node is cluster 'rogue'", seen, StringComparison.Ordinal);

        // The rogue silo cannot reach the silo its table lists, so it never joins, even its own cluster.
        int exitCode;
        try
        {
            exitCode = await rogue.Broker.Process.WaitForExitAsync(TimeSpan.FromSeconds(60));
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException("The rogue silo did not give up joining.\n" + rogueCluster.Describe());
        }

        Assert.True(exitCode != 0, "the rogue silo exited with 0\n" + rogue.Output);
        Assert.Contains("could not reach active silos", rogue.Output, StringComparison.Ordinal);

        // Prod's membership is its own, and it still carries messages between its nodes.
        await _prod.WaitForViewAsync();
        var rows = await MembershipRow.ReadAllAsync(_prod.ConnectionString);
        Assert.DoesNotContain(rows, r => r.DeploymentId == "prod" && r.Port == rogue.SiloPort);
        var topic = "isolation/after-rogue";
        await using var subscriber = await Mosquitto.StartSubscriberAsync(_prod[1].Broker, "5", "-t", topic, "-q", "1", "-v", "-C", "1");
        await ClusterAssert.SucceedsAsync(Mosquitto.PublishAsync(_prod[0].Broker, "5", "-t", topic, "-m", "still one cluster", "-q", "1"), _prod);
        await ClusterAssert.ExitsAsync(subscriber, _prod);
        Assert.Equal([$"{topic} still one cluster"], Mosquitto.Messages(subscriber, topic));
    }
}
