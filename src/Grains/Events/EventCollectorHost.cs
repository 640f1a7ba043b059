using Bifro.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Bifro.Grains.Events;

/// <summary>
/// This silo's event collectors (Bifro:Events:Collectors), each behind a <see cref="CollectorRunner"/>.
/// The event consumer grains living on this silo hand every event here; counts of what each collector
/// got and missed are kept for metrics and administration.
/// </summary>
internal sealed class EventCollectorHost : IHostedService
{
    private static readonly TimeSpan StopGrace = TimeSpan.FromSeconds(5);

    private readonly CollectorRunner[] _runners;

    public EventCollectorHost(IServiceProvider services, IOptions<EventOptions> options, ILogger<EventCollectorHost> logger)
    {
        var settings = options.Value;
        var names = settings.Enabled ? settings.EffectiveCollectors : [];
        _runners = new CollectorRunner[names.Count];
        for (var i = 0; i < names.Count; i++)
        {
            // Built-ins and plugins are keyed services, made here so that a failing plugin constructor stops the silo at start.
            var collector = services.GetRequiredKeyedService<IEventCollector>(names[i].ToLowerInvariant());
            _runners[i] = new CollectorRunner(names[i], collector, settings.CollectorQueueSize, logger);
        }
    }

    public int Count => _runners.Length;

    /// <summary>Offers the event to every collector; never waits.</summary>
    public void Dispatch(BifroEvent e)
    {
        foreach (var runner in _runners)
        {
            runner.Offer(e);
        }
    }

    public IReadOnlyList<EventCollectorCounters> GetCounters() => _runners.Select(r => r.Counters).ToList();

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.WhenAll(_runners.Select(r => r.StopAsync(StopGrace)));
}
