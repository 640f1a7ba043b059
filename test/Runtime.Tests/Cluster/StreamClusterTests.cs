using Bifro.Hosting;
using Bifro.Runtime.Tests.Grains;
using Bifro.Runtime.Tests.Streams;
using Bifro.Streams;
using Bifro.TestKit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Xunit;

namespace Bifro.Runtime.Tests.Cluster;

/// <summary>Memory streams across silos and cluster clients, on a real PostgreSQL and the real silo transport.</summary>
[Trait("Category", "Cluster")]
public sealed class StreamClusterTests
{
    private const string Provider = "mem";

    // Each test its own ClusterId: a node of an earlier test's cluster that is still stopping can never join this one.
    private static Task<TestCluster> StartAsync(int silos) =>
        TestCluster.StartAsync(silos, clusterId: $"streams-{Guid.NewGuid():N}", configure: silo => silo.AddMemoryStreams(Provider, o => o.DrainTimeout = TimeSpan.FromSeconds(1)), services: Log);

    private static void Log(IServiceCollection services)
    {
        if (Environment.GetEnvironmentVariable("BIFRO_TEST_LOG") == "1")
        {
            services.AddLogging(b => Microsoft.Extensions.Logging.ConsoleLoggerExtensions.AddSimpleConsole(b));
            services.Configure<Microsoft.Extensions.Logging.LoggerFilterOptions>(o => o.MinLevel = Microsoft.Extensions.Logging.LogLevel.Debug);
        }
    }

    private static IAsyncStream<object> Stream(IHost node, string key) =>
        node.Services.GetStreamProvider(Provider).GetStream<object>("cluster-test", key);

    private static IStreamDeliveryDiagnostics Diagnostics(IHost node) => node.Services.GetStreamProvider(Provider).GetDeliveryDiagnostics();

    [Fact(Timeout = 120_000)]
    public async Task ProducerOnOneSilo_ReachesSubscribersOnTheOthers_InOrder()
    {
        await using var cluster = await StartAsync(3);
        var key = Probe.NewKey();
        var second = Probe.For(key + "-1");
        var third = Probe.For(key + "-2");
        await Stream(cluster.Silos[1], key).SubscribeAsync(new RecordingStreamObserver<object>(second));
        await Stream(cluster.Silos[2], key).SubscribeAsync(new RecordingStreamObserver<object>(third));

        var producer = Stream(cluster.Silos[0], key);
        for (var i = 0; i < 500; i++)
        {
            await producer.OnNextAsync(i);
        }

        await second.WaitForPrefixAsync("item:", 500);
        await third.WaitForPrefixAsync("item:", 500);
        var expected = Enumerable.Range(0, 500).Select(i => $"item:{i}").ToArray();
        Assert.Equal(expected, second.WithPrefix("item:"));
        Assert.Equal(expected, third.WithPrefix("item:"));

        // One queue per consuming node on the producer's side, nothing dropped.
        var queues = Diagnostics(cluster.Silos[0]).GetNodeQueues();
        Assert.Equal(2, queues.Count);
        Assert.All(queues, q => Assert.Equal(0, q.Dropped));
    }

    [Fact(Timeout = 120_000)]
    public async Task TwoProducersOnTwoSilos_EachProducersEventsArriveInItsOrder()
    {
        await using var cluster = await StartAsync(3);
        var key = Probe.NewKey();
        var probe = Probe.For(key);
        await Stream(cluster.Silos[2], key).SubscribeAsync(new RecordingStreamObserver<object>(probe));

        var a = Task.Run(async () =>
        {
            var stream = Stream(cluster.Silos[0], key);
            for (var i = 0; i < 300; i++)
            {
                await stream.OnNextAsync($"a{i}");
            }
        });
        var b = Task.Run(async () =>
        {
            var stream = Stream(cluster.Silos[1], key);
            for (var i = 0; i < 300; i++)
            {
                await stream.OnNextAsync($"b{i}");
            }
        });
        await Task.WhenAll(a, b);

        await probe.WaitForPrefixAsync("item:", 600);
        Assert.Equal(Enumerable.Range(0, 300).Select(i => $"item:a{i}"), probe.WithPrefix("item:a"));
        Assert.Equal(Enumerable.Range(0, 300).Select(i => $"item:b{i}"), probe.WithPrefix("item:b"));
    }

    [Fact(Timeout = 120_000)]
    public async Task GrainSubscribedOnOneSilo_GetsEventsProducedOnAnother_AsTurns()
    {
        await using var cluster = await StartAsync(2);
        var key = Probe.NewKey();
        var probe = Probe.For(key);
        var grain = cluster.Factory(0).GetGrain<IStreamConsumerGrain>(key);
        await grain.SubscribeAsync();
        var owner = cluster.Silos.Single(h => h.Services.GetRequiredService<Bifro.Runtime.Activation.Catalog>().TryGet(grain.GetGrainId(), out _));
        var other = cluster.Silos.Single(h => h != owner);

        var stream = other.Services.GetStreamProvider(Provider).GetStream<object>(StreamConsumerGrain.Namespace, key);
        for (var i = 0; i < 100; i++)
        {
            await stream.OnNextAsync(new StreamPayload { Value = i });
        }

        await probe.WaitForPrefixAsync("item:", 100);
        Assert.Equal(Enumerable.Range(0, 100).Select(i => $"item:{i}"), probe.WithPrefix("item:"));
        Assert.Equal(0, probe.Count("off-turn"));
    }

    [Fact(Timeout = 120_000)]
    public async Task Unsubscribed_NodeGetsNothingMore()
    {
        await using var cluster = await StartAsync(2);
        var key = Probe.NewKey();
        var probe = Probe.For(key);
        var handle = await Stream(cluster.Silos[1], key).SubscribeAsync(new RecordingStreamObserver<object>(probe));
        var producer = Stream(cluster.Silos[0], key);
        await producer.OnNextAsync("before");
        await probe.WaitForAsync("item:before");

        await handle.UnsubscribeAsync();
        await producer.OnNextAsync("after");

        // A new subscriber then gets what is produced next, and nothing of what came before it.
        var marker = Probe.For(key + "-marker");
        await Stream(cluster.Silos[1], key).SubscribeAsync(new RecordingStreamObserver<object>(marker));
        await producer.OnNextAsync("marker");
        await marker.WaitForAsync("item:marker");
        Assert.Equal(0, probe.Count("item:after"));
        Assert.Equal(0, marker.Count("item:after"));

        // "after" was never sent: the producer knew the node had no subscriber left.
        await Eventually.TrueAsync(() => Diagnostics(cluster.Silos[0]).GetNodeQueues().Single().Sent == 2, TimeSpan.FromSeconds(10));
    }

    [Fact(Timeout = 120_000)]
    public async Task ClusterClient_ConsumesWhatASiloProduces_AndProducesToSiloSubscribers()
    {
        await using var cluster = await StartAsync(2);
        var client = await cluster.AddClientAsync("edge1", c => c.AddMemoryStreams(Provider), Log);
        var key = Probe.NewKey();
        var atClient = Probe.For(key + "-client");
        var atSilo = Probe.For(key + "-silo");
        await Stream(client, key).SubscribeAsync(new RecordingStreamObserver<object>(atClient));
        await Stream(cluster.Silos[1], key).SubscribeAsync(new RecordingStreamObserver<object>(atSilo));

        var fromSilo = Stream(cluster.Silos[0], key);
        for (var i = 0; i < 100; i++)
        {
            await fromSilo.OnNextAsync($"s{i}");
        }

        var fromClient = Stream(client, key);
        for (var i = 0; i < 100; i++)
        {
            await fromClient.OnNextAsync($"c{i}");
        }

        await atClient.WaitForPrefixAsync("item:", 200);
        await atSilo.WaitForPrefixAsync("item:", 200);
        Assert.Equal(Enumerable.Range(0, 100).Select(i => $"item:s{i}"), atClient.WithPrefix("item:s"));
        Assert.Equal(Enumerable.Range(0, 100).Select(i => $"item:c{i}"), atClient.WithPrefix("item:c"));
        Assert.Equal(Enumerable.Range(0, 100).Select(i => $"item:c{i}"), atSilo.WithPrefix("item:c"));
    }

    [Fact(Timeout = 120_000)]
    public async Task ImplicitConsumer_GetsEventsFromAClusterClient()
    {
        await using var cluster = await StartAsync(2);
        var client = await cluster.AddClientAsync("edge2", c => c.AddMemoryStreams(Provider), Log);
        var key = Probe.NewKey();
        var probe = Probe.For(key);

        var stream = client.Services.GetStreamProvider(Provider).GetStream<int>(ImplicitConsumerGrain.Namespace, key);
        for (var i = 0; i < 50; i++)
        {
            await stream.OnNextAsync(i);
        }

        await probe.WaitForPrefixAsync("item:", 50);
        Assert.Equal(Enumerable.Range(0, 50).Select(i => $"item:{i}"), probe.WithPrefix("item:"));
    }

    [Fact(Timeout = 180_000)]
    public async Task ConsumerSiloStops_ProducerGoesOnAndOtherConsumersStillGetEverything()
    {
        await using var cluster = await StartAsync(3);
        var key = Probe.NewKey();
        var survivor = Probe.For(key + "-1");
        await Stream(cluster.Silos[1], key).SubscribeAsync(new RecordingStreamObserver<object>(survivor));
        await Stream(cluster.Silos[2], key).SubscribeAsync(new RecordingStreamObserver<object>(Probe.For(key + "-2")));
        var producer = Stream(cluster.Silos[0], key);
        await producer.OnNextAsync(-1);
        await survivor.WaitForAsync("item:-1");

        await cluster.StopSiloAsync(2);
        // Every silo left, not one: a silo whose view still has the stopped one forwards calls to it.
        await cluster.WaitForActiveAsync(2);
        for (var i = 0; i < 100; i++)
        {
            await producer.OnNextAsync(i);
        }

        await survivor.WaitForPrefixAsync("item:", 101);
        Assert.Equal(Enumerable.Range(-1, 101).Select(i => $"item:{i}"), survivor.WithPrefix("item:"));
    }
}

