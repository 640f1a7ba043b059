using Bifro.Streams;
using Bifro.TestKit;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Bifro.Grains.Tests.Events;

public sealed class EventStreamTests
{
    [Fact(Timeout = 60_000)]
    public async Task ReportedEvents_ReachAStreamConsumer_InOrderPerClient()
    {
        await using var silo = await EventSilo.StartAsync();
        var received = new List<BifroEvent>();
        var stream = silo.Services.GetStreamProvider(EventStreams.ProviderName).GetStream<BifroEvent>(EventStreams.Namespace, "acme");
        await stream.SubscribeAsync((e, _) =>
        {
            lock (received)
            {
                received.Add(e);
            }

            return Task.CompletedTask;
        });
        var reporter = EventSilo.Reporter(silo);

        // Eight clients report at once, each from its own thread, as eight connections would.
        await Task.WhenAll(Enumerable.Range(0, 8).Select(client => Task.Run(() =>
        {
            for (var i = 0; i < 500; i++)
            {
                reporter.Report(new ClientConnectedEvent { Type = EventType.ClientConnected, TenantId = "acme", ClientId = $"c{client}", KeepAliveSeconds = i });
            }
        })));

        await Eventually.TrueAsync(() => Count(received) == 4000, TimeSpan.FromSeconds(20));
        lock (received)
        {
            foreach (var client in received.GroupBy(e => e.ClientId))
            {
                Assert.Equal(Enumerable.Range(0, 500), client.Select(e => ((ClientConnectedEvent)e).KeepAliveSeconds));
            }

            Assert.All(received, e => Assert.NotEqual(default, e.Time));
            Assert.All(received, e => Assert.False(string.IsNullOrEmpty(e.Node)));
        }
    }

    [Fact(Timeout = 60_000)]
    public async Task Events_GoToTheirTenantsStream_AndThoseWithoutATenantToTheClusterStream()
    {
        var probe = new ProbeCollector();
        await using var silo = await EventSilo.StartAsync(probe: probe);
        var reporter = EventSilo.Reporter(silo);

        reporter.Report(new ConnectionRefusedEvent { Type = EventType.ProtocolError, RemoteAddress = "192.0.2.1" });
        reporter.Report(new ClientConnectedEvent { Type = EventType.ClientConnected, TenantId = "acme", ClientId = "a" });
        reporter.Report(new ClientConnectedEvent { Type = EventType.ClientConnected, TenantId = "globex", ClientId = "g" });

        await Eventually.TrueAsync(() => probe.Events.Count == 3, TimeSpan.FromSeconds(10));
        var collectors = silo.GrainFactory;
        Assert.Equal(1, await collectors.GetGrain<IEventCollectorGrain>(EventStreams.ClusterKey).GetReceivedAsync());
        Assert.Equal(1, await collectors.GetGrain<IEventCollectorGrain>("acme").GetReceivedAsync());
        Assert.Equal(1, await collectors.GetGrain<IEventCollectorGrain>("globex").GetReceivedAsync());
    }

    [Fact(Timeout = 60_000)]
    public async Task SlowCollector_MissesEventsAndCountsThem_ReportingNeverWaits()
    {
        var slow = new ProbeCollector(slow: true);
        await using var silo = await EventSilo.StartAsync(probe: slow, events: o => o.CollectorQueueSize = 100);
        var reporter = EventSilo.Reporter(silo);

        var accepted = 0;
        for (var i = 0; i < 5000; i++)
        {
            accepted += reporter.Report(new ClientConnectedEvent { Type = EventType.ClientConnected, TenantId = "acme", ClientId = "c", KeepAliveSeconds = i }) ? 1 : 0;
        }

        var host = silo.Services.GetRequiredService<Bifro.Grains.Events.EventCollectorHost>();
        await Eventually.TrueAsync(() => host.GetCounters()[0].Dropped + host.GetCounters()[0].Queued + 256 >= 5000, TimeSpan.FromSeconds(20), "every event to be queued or dropped");
        Assert.Equal(5000, accepted);
        var counters = host.GetCounters().Single();
        Assert.Equal("probe", counters.Collector);
        Assert.True(counters.Dropped > 4000, counters.ToString());
        Assert.Empty(slow.Events);

        // Released, it gets what it had queued, in order.
        slow.Release();
        await Eventually.TrueAsync(() => host.GetCounters()[0].Queued == 0 && slow.Events.Count == (int)host.GetCounters()[0].Delivered, TimeSpan.FromSeconds(10));
        var seen = slow.Events.Select(e => ((ClientConnectedEvent)e).KeepAliveSeconds).ToList();
        Assert.Equal(seen.Order(), seen);
    }

    private static int Count(List<BifroEvent> events)
    {
        lock (events)
        {
            return events.Count;
        }
    }
}
