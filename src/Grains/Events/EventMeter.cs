using System.Diagnostics.Metrics;
using Bifro.Runtime;
using Bifro.Streams;

namespace Bifro.Grains.Events;

/// <summary>
/// Meter "Bifro.Events": the metrics collector's counters, and what the event path itself dropped: events
/// the node's queue could not take ("bifro.events.reporter.dropped"), events a collector missed
/// ("bifro.events.collector.dropped", tag "collector") and events the event streams could not buffer for
/// a consumer ("bifro.events.stream.dropped").
/// </summary>
internal sealed class EventMeter : IDisposable
{
    public const string MeterName = "Bifro.Events";

    public EventMeter(IMeterFactory meters, IServiceProvider services)
    {
        Meter = meters.Create(MeterName);
        Meter.CreateObservableCounter("bifro.events.reporter.dropped", () => (services.GetService(typeof(IEventReporter)) as EventReporter)?.Dropped ?? 0, "{event}",
            "Events dropped because this node's event queue was full.");
        Meter.CreateObservableCounter("bifro.events.collector.dropped", () => CollectorDrops(services), "{event}",
            "Events a collector missed because its queue was full.");
        Meter.CreateObservableCounter("bifro.events.stream.dropped", () => StreamDrops(services), "{event}",
            "Events the event streams dropped for a consumer that was too far behind.");
    }

    public Meter Meter { get; }

    public void Dispose() => Meter.Dispose();

    private static IEnumerable<Measurement<long>> CollectorDrops(IServiceProvider services)
    {
        if (services.GetService(typeof(EventCollectorHost)) is not EventCollectorHost host)
        {
            yield break;
        }

        foreach (var counters in host.GetCounters())
        {
            yield return new Measurement<long>(counters.Dropped, new KeyValuePair<string, object?>("collector", counters.Collector));
        }
    }

    private static long StreamDrops(IServiceProvider services) =>
        Microsoft.Extensions.DependencyInjection.ServiceProviderKeyedServiceExtensions.GetKeyedService<IStreamProvider>(services, EventStreams.ProviderName) is { } provider
            ? provider.GetDeliveryDiagnostics().Totals.Dropped
            : 0;
}
