using Bifro.Runtime;
using Bifro.Runtime.Activation;
using Bifro.Runtime.Messaging;
using Bifro.Runtime.Timers;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Bifro.Hosting;

/// <summary>
/// Starts and stops the silo with the host. Registered before the MQTT listeners, so it stops after
/// them: connections close first, then every activation deactivates and saves its state.
/// </summary>
internal sealed class SiloLifecycle : IHostedService
{
    private readonly IServiceProvider _services;
    private readonly Catalog _catalog;
    private readonly List<ISiloParticipant> _participants;

    public SiloLifecycle(IServiceProvider services, Catalog catalog, IEnumerable<ISiloParticipant> participants)
    {
        _services = services;
        _catalog = catalog;
        _participants = participants.OrderBy(p => p.Stage).ToList();
    }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        ApplicationParts.EnsureLoaded();
        _catalog.Start();
        _services.GetRequiredService<Runtime.Diagnostics.RuntimeMetrics>();

        // Any node can ask this silo about its activations (administration) by its identity alone.
        _services.GetRequiredService<ObserverRegistry>().RegisterWellKnown(Runtime.Management.SiloControl.Name, new Runtime.Management.SiloControl(_catalog));
        foreach (var participant in _participants)
        {
            await participant.StartAsync(cancellationToken).ConfigureAwait(false);
        }

        if (_services.GetService<ReminderService>() is { } reminders)
        {
            await reminders.StartAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        _services.GetService<ReminderService>()?.Dispose();
        await _catalog.DeactivateAllAsync(
            new DeactivationReason(DeactivationReasonCode.ShuttingDown, "The silo is stopping."), cancellationToken).ConfigureAwait(false);
        for (var i = _participants.Count - 1; i >= 0; i--)
        {
            await _participants[i].StopAsync(cancellationToken).ConfigureAwait(false);
        }

        _catalog.Dispose();
        _services.GetService<PendingCallTracker>()?.Dispose();
    }
}

/// <summary>Starts and stops a cluster client's participants (membership view, transport) with the host.</summary>
internal sealed class ClientLifecycle(IServiceProvider services, IEnumerable<ISiloParticipant> participants) : IHostedService
{
    private readonly List<ISiloParticipant> _participants = participants.OrderBy(p => p.Stage).ToList();

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        ApplicationParts.EnsureLoaded();
        services.GetRequiredService<Runtime.Diagnostics.RuntimeMetrics>();
        foreach (var participant in _participants)
        {
            await participant.StartAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        for (var i = _participants.Count - 1; i >= 0; i--)
        {
            await _participants[i].StopAsync(cancellationToken).ConfigureAwait(false);
        }

        services.GetService<PendingCallTracker>()?.Dispose();
    }
}

/// <summary>A silo component with a start and a stop (membership, transport, streams), ordered by stage.</summary>
public interface ISiloParticipant
{
    int Stage { get; }

    Task StartAsync(CancellationToken cancellationToken);

    Task StopAsync(CancellationToken cancellationToken);
}
