using Bifro.Configuration;
using Bifro.Hosting;
using Bifro.Runtime.Tests.Grains;
using Bifro.Streams;
using Bifro.TestKit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Xunit;

namespace Bifro.Runtime.Tests.Streams;

public sealed class MemoryStreamTests
{
    private const string Provider = "mem";

    private static Task<TestSilo> StartAsync(Action<MemoryStreamOptions>? configure = null, bool serializeLocalCalls = false) =>
        TestSilo.StartAsync(silo =>
        {
            silo.AddMemoryStreams(Provider, o =>
            {
                o.DrainTimeout = TimeSpan.FromSeconds(1);
                configure?.Invoke(o);
            });
            silo.Services.Configure<MessagingOptions>(o => o.SerializeLocalCalls = serializeLocalCalls);
        });

    private static IStreamProvider ProviderOf(TestSilo silo) => silo.Services.GetStreamProvider(Provider);

    private static IAsyncStream<object> ExplicitStream(TestSilo silo, string key) =>
        ProviderOf(silo).GetStream<object>(StreamConsumerGrain.Namespace, key);

    private static string[] Items(IEnumerable<int> values) => values.Select(i => $"item:{i}").ToArray();

    [Fact(Timeout = 30_000)]
    public async Task GrainSubscription_ItemsProduced_ArriveInOrderAsTurnsOfTheGrain()
    {
        await using var silo = await StartAsync();
        var key = Probe.NewKey();
        var probe = Probe.For(key);
        await silo.GrainFactory.GetGrain<IStreamConsumerGrain>(key).SubscribeAsync();
        var stream = ExplicitStream(silo, key);

        for (var i = 0; i < 300; i++)
        {
            await stream.OnNextAsync(i);
        }

        await probe.WaitForPrefixAsync("item:", 300);
        Assert.Equal(Items(Enumerable.Range(0, 300)), probe.WithPrefix("item:"));
        Assert.Equal(0, probe.Count("off-turn"));
    }

    [Fact(Timeout = 30_000)]
    public async Task GrainSubscription_RequestInProgress_DeliveryWaitsForTheGrainsTurn()
    {
        await using var silo = await StartAsync();
        var key = Probe.NewKey();
        var probe = Probe.For(key);
        var grain = silo.GrainFactory.GetGrain<IStreamConsumerGrain>(key);
        var handle = await grain.SubscribeAsync();
        var holding = grain.HoldAsync();
        await probe.WaitForAsync("holding");

        await ExplicitStream(silo, key).OnNextAsync(1);

        // The event has left the buffer (its delivery call is queued at the grain) while the request holds the turn.
        await Eventually.TrueAsync(() => ProviderOf(silo).GetDeliveryDiagnostics().GetSubscription(handle)!.Buffered == 0);
        Assert.Equal(0, probe.CountPrefix("item:"));
        probe.Open("release");
        await holding;
        await probe.WaitForAsync("item:1");
        Assert.Equal(0, probe.Count("during-request"));
        Assert.Equal(0, probe.Count("off-turn"));
    }

    [Fact(Timeout = 30_000)]
    public async Task NonGrainSubscription_GrainProduces_ItemsArriveInOrderOutsideAnyGrain()
    {
        await using var silo = await StartAsync();
        var key = Probe.NewKey();
        var probe = Probe.For(key);
        await ExplicitStream(silo, key).SubscribeAsync(new RecordingStreamObserver<object>(probe));

        var immediate = await silo.GrainFactory.GetGrain<IStreamProducerGrain>(Probe.NewKey()).ProduceAsync(StreamConsumerGrain.Namespace, key, "p", 200);

        Assert.True(immediate, "OnNextAsync inside a grain returns once the item is buffered");
        await probe.WaitForPrefixAsync("item:", 200);
        Assert.Equal(Enumerable.Range(0, 200).Select(i => $"item:p:{i}"), probe.WithPrefix("item:"));
        Assert.Equal(0, probe.Count("in-grain"));
    }

    [Fact(Timeout = 30_000)]
    public async Task TwoProducers_ProducingAtOnce_EachProducersOrderIsKeptForEveryConsumer()
    {
        await using var silo = await StartAsync();
        var key = Probe.NewKey();
        var grainProbe = Probe.For(key);
        var localProbe = Probe.For(Probe.NewKey());
        await silo.GrainFactory.GetGrain<IStreamConsumerGrain>(key).SubscribeAsync();
        await ExplicitStream(silo, key).SubscribeAsync(new RecordingStreamObserver<object>(localProbe));

        await Task.WhenAll(
            silo.GrainFactory.GetGrain<IStreamProducerGrain>(Probe.NewKey()).ProduceAsync(StreamConsumerGrain.Namespace, key, "a", 300),
            silo.GrainFactory.GetGrain<IStreamProducerGrain>(Probe.NewKey()).ProduceAsync(StreamConsumerGrain.Namespace, key, "b", 300));

        foreach (var probe in new[] { grainProbe, localProbe })
        {
            await probe.WaitForPrefixAsync("item:", 600);
            Assert.Equal(Enumerable.Range(0, 300).Select(i => $"item:a:{i}"), probe.WithPrefix("item:a:"));
            Assert.Equal(Enumerable.Range(0, 300).Select(i => $"item:b:{i}"), probe.WithPrefix("item:b:"));
        }

        // One stream, one order: both consumers saw the producers' items interleaved the same way.
        Assert.Equal(grainProbe.WithPrefix("item:"), localProbe.WithPrefix("item:"));
    }

    [Fact(Timeout = 30_000)]
    public async Task GrainSubscription_GrainDeactivated_NextItemReactivatesItAndItResumes()
    {
        await using var silo = await StartAsync();
        var key = Probe.NewKey();
        var probe = Probe.For(key);
        var grain = silo.GrainFactory.GetGrain<IStreamConsumerGrain>(key);
        await grain.SubscribeAsync();
        var stream = ExplicitStream(silo, key);
        await stream.OnNextAsync(1);
        await probe.WaitForAsync("item:1");

        await grain.DeactivateAsync();
        await probe.WaitForAsync("deactivate");
        await stream.OnNextAsync(2);

        await probe.WaitForAsync("item:2");
        Assert.Equal(2, probe.Count("activate"));
        Assert.Equal(1, probe.Count("resumed"));
        Assert.Equal(1, await grain.CountHandlesAsync());
    }

    [Fact(Timeout = 30_000)]
    public async Task GrainSubscription_ReactivatedWithoutResuming_ItemIsCountedUndelivered()
    {
        await using var silo = await StartAsync();
        var key = Probe.NewKey();
        var probe = Probe.For(key);
        probe.Settings["no-resume"] = true;
        var grain = silo.GrainFactory.GetGrain<IStreamConsumerGrain>(key);
        var handle = await grain.SubscribeAsync();
        await grain.DeactivateAsync();
        await probe.WaitForAsync("deactivate");

        await ExplicitStream(silo, key).OnNextAsync(1);

        var diagnostics = ProviderOf(silo).GetDeliveryDiagnostics();
        await Eventually.TrueAsync(() => diagnostics.GetSubscription(handle)!.Counters.Undelivered == 1);
        Assert.Equal(2, probe.Count("activate"));
        Assert.Equal(0, probe.CountPrefix("item:"));
        Assert.Equal(new StreamDeliveryCounters(0, 0, 1), diagnostics.GetSubscription(handle)!.Counters);
        Assert.Equal(GrainId.Create("streamconsumer", key).ToString(), diagnostics.GetSubscription(handle)!.Consumer);
    }

    [Fact(Timeout = 30_000)]
    public async Task Unsubscribe_FromTheGrain_RemovesTheSubscriptionAndStopsDelivery()
    {
        await using var silo = await StartAsync();
        var key = Probe.NewKey();
        var probe = Probe.For(key);
        var witness = Probe.For(Probe.NewKey());
        var grain = silo.GrainFactory.GetGrain<IStreamConsumerGrain>(key);
        var handle = await grain.SubscribeAsync();
        var stream = ExplicitStream(silo, key);
        await stream.SubscribeAsync(new RecordingStreamObserver<object>(witness));
        await stream.OnNextAsync(1);
        await probe.WaitForAsync("item:1");

        await grain.UnsubscribeAllAsync();
        await stream.OnNextAsync(2);
        await stream.OnNextAsync(3);

        await witness.WaitForPrefixAsync("item:", 3);
        Assert.Null(ProviderOf(silo).GetDeliveryDiagnostics().GetSubscription(handle));
        Assert.Equal(0, await grain.CountHandlesAsync());
        Assert.Equal(["item:1"], probe.WithPrefix("item:"));
    }

    [Fact(Timeout = 30_000)]
    public async Task NonGrainHandles_GetAllAndResume_ReplaceTheObserver()
    {
        await using var silo = await StartAsync();
        var key = Probe.NewKey();
        var first = Probe.For(Probe.NewKey());
        var second = Probe.For(Probe.NewKey());
        var stream = ExplicitStream(silo, key);
        var subscribed = await stream.SubscribeAsync(new RecordingStreamObserver<object>(first));
        await silo.GrainFactory.GetGrain<IStreamConsumerGrain>(key).SubscribeAsync();
        await stream.OnNextAsync(1);
        await first.WaitForAsync("item:1");

        // Outside grains, the handles are those of outside observers (not the grain's).
        var handle = Assert.Single(await stream.GetAllSubscriptionHandles());
        Assert.Equal(subscribed, handle);
        await handle.ResumeAsync(new RecordingStreamObserver<object>(second));
        await stream.OnNextAsync(2);

        await second.WaitForAsync("item:2");
        Assert.Equal(["item:1"], first.WithPrefix("item:"));
        Assert.Equal(["item:2"], second.WithPrefix("item:"));
    }

    [Fact(Timeout = 30_000)]
    public async Task ImplicitSubscription_ItemOnANewStream_ActivatesTheGrainWithTheStreamsKey()
    {
        await using var silo = await StartAsync();
        var key = Probe.NewKey();
        var probe = Probe.For(key);
        var stream = ProviderOf(silo).GetStream<int>(ImplicitConsumerGrain.Namespace, key);

        for (var i = 0; i < 50; i++)
        {
            await stream.OnNextAsync(i);
        }

        await probe.WaitForPrefixAsync("item:", 50);
        Assert.Equal(Items(Enumerable.Range(0, 50)), probe.WithPrefix("item:"));
        Assert.Equal(["activate", $"subscribed:{ImplicitConsumerGrain.Namespace}/{key}", "item:0"], probe.Events.Take(3));
        Assert.Equal(key, await silo.GrainFactory.GetGrain<IImplicitConsumerGrain>(key).GetKeyAsync());
        Assert.Equal(1, probe.CountPrefix("subscribed:"));
        Assert.Equal(0, probe.Count("off-turn"));
    }

    [Fact(Timeout = 30_000)]
    public async Task ImplicitSubscription_GrainReactivated_IsToldOfItOncePerActivation()
    {
        await using var silo = await StartAsync();
        var key = Probe.NewKey();
        var probe = Probe.For(key);
        var stream = ProviderOf(silo).GetStream<int>(ImplicitConsumerGrain.Namespace, key);
        await stream.OnNextAsync(1);
        await stream.OnNextAsync(2);
        await probe.WaitForAsync("item:2");

        await silo.GrainFactory.GetGrain<IImplicitConsumerGrain>(key).DeactivateAsync();
        await probe.WaitForAsync("deactivate");
        await stream.OnNextAsync(3);

        await probe.WaitForAsync("item:3");
        Assert.Equal(2, probe.Count("activate"));
        Assert.Equal(2, probe.CountPrefix("subscribed:"));
    }

    [Fact(Timeout = 30_000)]
    public async Task ImplicitSubscription_GrainAttachesNoObserver_ItemsAreCountedUndelivered()
    {
        await using var silo = await StartAsync();
        var key = Probe.NewKey();
        var stream = ProviderOf(silo).GetStream<int>("implicit-silent", key);

        await stream.OnNextAsync(1);
        await stream.OnNextAsync(2);

        var diagnostics = ProviderOf(silo).GetDeliveryDiagnostics();
        var subscription = Assert.Single(diagnostics.GetSubscriptions(), s => s.StreamId == StreamId.Create("implicit-silent", key));
        Assert.True(subscription.IsImplicit);
        Assert.Equal(GrainId.Create("silentimplicit", key).ToString(), subscription.Consumer);
        await Eventually.TrueAsync(() => diagnostics.GetSubscription(subscription.HandleId)!.Counters.Undelivered == 2);
        Assert.Equal(1, Probe.For(key).Count("activate"));
    }

    [Fact(Timeout = 30_000)]
    public async Task SlowConsumer_BufferFull_DropsAndCountsWithoutSlowingTheProducerOrOtherConsumers()
    {
        await using var silo = await StartAsync(o =>
        {
            o.BufferSize = 10;
            o.MaxBatchSize = 1;
        });
        var key = Probe.NewKey();
        var slow = Probe.For(key);
        slow.Settings["slow"] = true;
        var fast = Probe.For(Probe.NewKey());
        var slowHandle = await silo.GrainFactory.GetGrain<IStreamConsumerGrain>(key).SubscribeAsync();
        var stream = ExplicitStream(silo, key);
        var fastHandle = (await stream.SubscribeAsync(new RecordingStreamObserver<object>(fast))).HandleId;
        var diagnostics = ProviderOf(silo).GetDeliveryDiagnostics();

        // Ten rounds of ten: each round waits for the fast consumer, never for the slow one, which holds
        // its first event and lets its buffer fill.
        for (var round = 0; round < 10; round++)
        {
            for (var i = round * 10; i < (round + 1) * 10; i++)
            {
                Assert.True(stream.OnNextAsync(i).IsCompletedSuccessfully, "OnNextAsync completes when the item is buffered");
            }

            await fast.WaitForPrefixAsync("item:", (round + 1) * 10);
        }

        // At most one event in flight to the slow consumer and ten in its buffer; the rest were dropped for it alone.
        var dropped = diagnostics.GetSubscription(slowHandle)!.Counters.Dropped;
        Assert.InRange(dropped, 89, 90);
        Assert.Equal(dropped, diagnostics.Totals.Dropped);
        Assert.Equal(Items(Enumerable.Range(0, 100)), fast.WithPrefix("item:"));
        Assert.Equal(new StreamDeliveryCounters(100, 0, 0), diagnostics.GetSubscription(fastHandle)!.Counters);

        slow.Open("slow");
        await slow.WaitForPrefixAsync("item:", (int)(100 - dropped));
        var received = slow.WithPrefix("item:").Select(e => int.Parse(e["item:".Length..], System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        Assert.Equal(received.Order(), received);
        Assert.Equal(0, received[0]);
        await Eventually.TrueAsync(() => diagnostics.GetSubscription(slowHandle)!.Counters == new StreamDeliveryCounters(100 - dropped, dropped, 0));
    }

    [Fact(Timeout = 30_000)]
    public async Task ProducerCompletesOrFails_ConsumersGetOnErrorAndOnCompletedInOrder()
    {
        await using var silo = await StartAsync();
        var key = Probe.NewKey();
        var grainProbe = Probe.For(key);
        var localProbe = Probe.For(Probe.NewKey());
        await silo.GrainFactory.GetGrain<IStreamConsumerGrain>(key).SubscribeAsync();
        var stream = ExplicitStream(silo, key);
        await stream.SubscribeAsync(new RecordingStreamObserver<object>(localProbe));

        await stream.OnNextAsync(1);
        await stream.OnErrorAsync(new TestException("bad"));
        await stream.OnCompletedAsync();

        string[] expected = ["item:1", "error:TestException:bad", "completed"];
        await grainProbe.WaitForAsync("completed");
        await localProbe.WaitForAsync("completed");
        Assert.Equal(expected, grainProbe.Events.Where(e => e != "activate"));
        Assert.Equal(expected, localProbe.Events);
    }

    [Fact(Timeout = 30_000)]
    public async Task GrainDelivery_SerializeLocalCalls_ItemCrossesAsAMessageCopy()
    {
        await using var silo = await StartAsync(serializeLocalCalls: true);
        var key = Probe.NewKey();
        var grainProbe = Probe.For(key);
        var localProbe = Probe.For(Probe.NewKey());
        await silo.GrainFactory.GetGrain<IStreamConsumerGrain>(key).SubscribeAsync();
        var stream = ExplicitStream(silo, key);
        await stream.SubscribeAsync(new RecordingStreamObserver<object>(localProbe));
        var payload = new StreamPayload { Value = 5 };

        await stream.OnNextAsync(payload);

        await grainProbe.WaitForAsync("item:5");
        await localProbe.WaitForPrefixAsync("item:");
        var delivered = Assert.IsType<StreamPayload>(Assert.Single(grainProbe.Objects));
        Assert.NotSame(payload, delivered);
        Assert.Equal(5, delivered.Value);
        Assert.Same(payload, Assert.Single(localProbe.Objects));
    }

    [Fact(Timeout = 30_000)]
    public async Task AddMemoryStreams_BufferSizeZero_FailsAtStartNamingTheKey()
    {
        var exception = await Record.ExceptionAsync(() => TestSilo.StartAsync(s => s.AddMemoryStreams("events", o => o.BufferSize = 0)));

        var validation = Assert.IsType<OptionsValidationException>(exception);
        Assert.Contains("Bifro:Streams:events:BufferSize", validation.Message, StringComparison.Ordinal);
    }

    [Fact(Timeout = 30_000)]
    public async Task GetStreamProvider_FromAGrainAndFromServices_IsTheSameNamedProvider()
    {
        await using var silo = await StartAsync();

        var provider = ProviderOf(silo);

        Assert.Equal(Provider, provider.Name);
        Assert.False(provider.IsRewindable);
        Assert.Same(provider, silo.Services.GetRequiredKeyedService<IStreamProvider>(Provider));
        Assert.Throws<KeyNotFoundException>(() => silo.Services.GetStreamProvider("missing"));
        Assert.Equal(provider.GetStream<int>("ns", "k"), provider.GetStream<int>(StreamId.Create("ns", "k")));
    }
}
