using Bifro.Grains.Events;
using Bifro.TestKit;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit;

namespace Bifro.Grains.Tests.Events;

public sealed class CollectorRunnerTests
{
    [Fact(Timeout = 30_000)]
    public async Task CollectorThrows_FailedCounted_NextBatchesStillDelivered()
    {
        var collector = new ThrowingOnceCollector();
        var runner = new CollectorRunner("flaky", collector, 100, NullLogger.Instance);

        runner.Offer(new ClientConnectedEvent { Type = EventType.ClientConnected });
        await Eventually.TrueAsync(() => runner.Counters.Failed == 1, TimeSpan.FromSeconds(10));
        runner.Offer(new ClientConnectedEvent { Type = EventType.ClientConnected });

        await Eventually.TrueAsync(() => runner.Counters.Delivered == 1, TimeSpan.FromSeconds(10));
        await runner.StopAsync(TimeSpan.FromSeconds(1));
    }

    [Fact(Timeout = 30_000)]
    public async Task Stop_DrainsWhatIsQueued()
    {
        var probe = new ProbeCollector();
        var runner = new CollectorRunner("probe", probe, 1000, NullLogger.Instance);
        for (var i = 0; i < 500; i++)
        {
            runner.Offer(new ClientConnectedEvent { Type = EventType.ClientConnected, KeepAliveSeconds = i });
        }

        await runner.StopAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(500, probe.Events.Count);
        Assert.Equal(Enumerable.Range(0, 500), probe.Events.Select(e => ((ClientConnectedEvent)e).KeepAliveSeconds));
    }

    private sealed class ThrowingOnceCollector : IEventCollector
    {
        private int _calls;

        public ValueTask ReportAsync(IReadOnlyList<BifroEvent> events, CancellationToken cancellationToken) =>
            Interlocked.Increment(ref _calls) == 1 ? throw new InvalidOperationException("boom") : ValueTask.CompletedTask;
    }
}
