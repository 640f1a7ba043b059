using System.Diagnostics.Metrics;
using Bifro.Runtime.Activation;
using Bifro.Runtime.Messaging;
using Microsoft.Extensions.DependencyInjection;

namespace Bifro.Runtime.Diagnostics;

/// <summary>
/// A node's runtime gauges, read when a collector asks (nothing runs per call): activations on this silo,
/// calls waiting for a response, registered observers. Made from the host's meter factory, so that two
/// silos in one process (tests) keep separate instruments.
/// </summary>
internal sealed class RuntimeMetrics : IDisposable
{
    private readonly Meter _meter;

    public RuntimeMetrics(IServiceProvider services, IMeterFactory meters, PendingCallTracker pending, ObserverRegistry observers)
    {
        _meter = meters.Create(RuntimeInstrumentation.Name);
        if (services.GetService<Catalog>() is { } catalog)
        {
            _meter.CreateObservableUpDownCounter("bifro.grain.activations", () => catalog.Count, "{activation}", "Grain activations on this silo.");
        }

        _meter.CreateObservableUpDownCounter("bifro.grain.calls.pending", () => pending.Count, "{call}", "Calls sent from this node that wait for a response.");
        _meter.CreateObservableUpDownCounter("bifro.grain.observers", () => observers.Count, "{observer}", "Observers (connections, edges) registered on this node.");
    }

    public void Dispose() => _meter.Dispose();
}
