using System.Collections.Concurrent;
using Bifro.Configuration;
using Bifro.Hosting;
using Bifro.TestKit;
using Microsoft.Extensions.DependencyInjection;

namespace Bifro.Grains.Tests.Events;

/// <summary>A silo with events on: the "events" streams, the reporter, the consumers, and a "probe" collector that keeps what it gets.</summary>
internal static class EventSilo
{
    public static Task<TestSilo> StartAsync(Action<RiskOptions>? risk = null, Action<EventOptions>? events = null, ProbeCollector? probe = null) =>
        TestSilo.StartAsync(
            silo =>
            {
                silo.AddMqttGrains().AddBifroEvents().AddEventConsumers();
                silo.AddEventCollector("probe", _ => probe ?? new ProbeCollector());
            },
            services =>
            {
                services.Configure<EventOptions>(o =>
                {
                    o.Collectors = probe is null ? [] : ["probe"];
                    events?.Invoke(o);
                });
                services.Configure<RiskOptions>(o =>
                {
                    o.DefaultRules = false;
                    risk?.Invoke(o);
                });
            });

    public static IEventReporter Reporter(TestSilo silo) => silo.Services.GetRequiredService<IEventReporter>();
}

/// <summary>A collector that keeps every event, and can be made slow (it waits for <see cref="Release"/> on every batch).</summary>
internal sealed class ProbeCollector : IEventCollector
{
    private readonly TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public ProbeCollector(bool slow = false)
    {
        if (!slow)
        {
            _release.SetResult();
        }
    }

    public ConcurrentQueue<BifroEvent> Events { get; } = new();

    public int Batches;

    public void Release() => _release.TrySetResult();

    public async ValueTask ReportAsync(IReadOnlyList<BifroEvent> events, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref Batches);
        await _release.Task.WaitAsync(cancellationToken);
        foreach (var e in events)
        {
            Events.Enqueue(e);
        }
    }
}
