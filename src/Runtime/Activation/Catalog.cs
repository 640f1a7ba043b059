using System.Collections.Concurrent;
using Bifro.Configuration;
using Bifro.Runtime.Messaging;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Bifro.Runtime.Activation;

/// <summary>
/// The activations of this silo, by grain id: created on first call, collected when idle, all
/// deactivated at shutdown.
/// </summary>
internal sealed class Catalog : IDisposable
{
    // A call forwarded this often is going in circles (a grain that keeps failing to activate).
    private const int MaxForwardCount = 8;

    private readonly ConcurrentDictionary<GrainId, ActivationData> _activations = new();
    private readonly IServiceProvider _services;
    private readonly Lazy<IGrainReferenceRuntime> _referenceRuntime;
    private Timer? _collector;
    private MessageCenter? _messageCenter;

    public Catalog(
        IServiceProvider services,
        ILocalSiloDetails silo,
        IOptions<GrainCollectionOptions> options,
        IEnumerable<IIncomingGrainCallFilter> incomingFilters,
        ILogger<Catalog> logger)
    {
        _services = services;
        SiloAddress = silo.SiloAddress;
        Options = options.Value;
        IncomingFilters = incomingFilters.ToArray();
        Log = new CatalogLog(logger);
        _referenceRuntime = new Lazy<IGrainReferenceRuntime>(() => services.GetRequiredService<IGrainReferenceRuntime>());
    }

    public IServiceProvider Services => _services;

    public SiloAddress SiloAddress { get; }

    public GrainCollectionOptions Options { get; }

    public IIncomingGrainCallFilter[] IncomingFilters { get; }

    public CatalogLog Log { get; }

    public int Count => _activations.Count;

    public void Start()
    {
        var quantum = Options.CollectionQuantum;
        _collector = new Timer(static s => ((Catalog)s!).CollectIdle(), this, quantum, quantum);
        _services.GetRequiredService<Membership.IMembershipViewProvider>().ViewChanged += OnViewChanged;
    }

    /// <summary>
    /// Grains are activated only on the silo that owns them in the current view; when the view moves a
    /// grain elsewhere, its activation here goes away, so no duplicate survives a membership change.
    /// Its next call activates it on the new owner, from storage.
    /// </summary>
    private void OnViewChanged(Membership.MembershipView view)
    {
        var moved = 0;
        foreach (var activation in _activations.Values)
        {
            if (view.OwnerOf(activation.GrainId) is { } owner && !owner.Equals(SiloAddress))
            {
                activation.Deactivate(new DeactivationReason(DeactivationReasonCode.DirectoryFailure, $"Membership moved the grain to {owner}."));
                moved++;
            }
        }

        if (moved > 0)
        {
            Log.ActivationsMoved(moved, view.Version);
        }
    }

    /// <summary>Delivers work to the grain's activation, creating it if there is none.</summary>
    public void Deliver(GrainId target, IActivationWorkItem item)
    {
        ActivationData activation;
        try
        {
            activation = GetOrCreate(target);
        }
        catch (Exception exception)
        {
            item.Fail(exception);
            return;
        }

        activation.Enqueue(item);
    }

    /// <summary>The ids of this silo's activations of one grain type (sweeps after a node is lost).</summary>
    public List<GrainId> GetActivationIds(GrainType grainType)
    {
        var ids = new List<GrainId>();
        foreach (var id in _activations.Keys)
        {
            if (id.Type == grainType)
            {
                ids.Add(id);
            }
        }

        return ids;
    }

    public bool TryGet(GrainId grainId, out ActivationData activation) => _activations.TryGetValue(grainId, out activation!);

    /// <summary>Sends work that reached a finished activation on to the grain's next activation.</summary>
    public void Forward(IActivationWorkItem item, ActivationData from)
    {
        if (item is Message message)
        {
            if (++message.ForwardCount > MaxForwardCount)
            {
                message.Fail(new GrainRuntimeException($"{message} was forwarded {MaxForwardCount} times; giving up."));
                return;
            }

            // Routed again rather than delivered here: when the activation went away because membership
            // moved the grain, its next activation belongs on the new owner.
            (_messageCenter ??= _services.GetRequiredService<MessageCenter>()).Reroute(message);
        }

        // A timer tick for a finished activation is dropped: its timers died with it.
    }

    public void Remove(ActivationData activation) =>
        _activations.TryRemove(new KeyValuePair<GrainId, ActivationData>(activation.GrainId, activation));

    public GrainReference CreateReference(GrainId grainId, GrainClassInfo grainClass) =>
        GrainReferenceRegistry.Create(grainClass.Interfaces[0], _referenceRuntime.Value, grainId);

    public IGrainStorage GetStorage(string? name)
    {
        var key = name ?? ProviderConstants.DefaultStorageProviderName;
        return _services.GetKeyedService<IGrainStorage>(key)
            ?? throw new GrainRuntimeException($"No grain storage named '{key}' is configured.");
    }

    public IGrainCollectionStorage GetCollectionStorage(string? name)
    {
        var key = name ?? ProviderConstants.DefaultStorageProviderName;
        return _services.GetKeyedService<IGrainCollectionStorage>(key)
            ?? throw new GrainRuntimeException($"No grain collection storage named '{key}' is configured.");
    }

    /// <summary>Deactivates every activation (silo shutdown), so that grains save their state.</summary>
    public async Task DeactivateAllAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        var all = _activations.Values.ToArray();
        var tasks = new Task[all.Length];
        for (var i = 0; i < all.Length; i++)
        {
            tasks[i] = all[i].DeactivateAsync(reason);
        }

        await Task.WhenAll(tasks).WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Deactivates activations idle for longer than <see cref="GrainCollectionOptions.CollectionAge"/>.</summary>
    public int CollectIdle()
    {
        var now = Environment.TickCount64;
        var age = (long)Options.CollectionAge.TotalMilliseconds;
        var collected = 0;
        foreach (var activation in _activations.Values)
        {
            if (activation.IsIdleLongerThan(age, now))
            {
                activation.Deactivate(new DeactivationReason(DeactivationReasonCode.ActivationIdle, "Idle."));
                collected++;
            }
        }

        return collected;
    }

    public void Dispose() => _collector?.Dispose();

    private ActivationData GetOrCreate(GrainId grainId)
    {
        while (true)
        {
            if (_activations.TryGetValue(grainId, out var existing))
            {
                return existing;
            }

            if (!GrainClassRegistry.TryGet(grainId.Type, out var grainClass))
            {
                ApplicationParts.EnsureLoaded();
                if (!GrainClassRegistry.TryGet(grainId.Type, out grainClass))
                {
                    throw new GrainRuntimeException($"No grain class has grain type '{grainId.Type}'.");
                }
            }

            var created = new ActivationData(this, grainClass, grainId);
            if (_activations.TryAdd(grainId, created))
            {
                created.Start();
                return created;
            }
        }
    }
}
