using Bifro.Runtime.Storage;
using Bifro.Runtime.Streams;
using Bifro.Runtime.Timers;
using Microsoft.Extensions.Logging;

namespace Bifro.Runtime.Activation;

/// <summary>
/// One activation of one grain: its grain object, its queue of calls and its lifecycle. Kept small,
/// because a broker has an activation per connected session: queues are created on demand and dropped
/// when empty.
/// </summary>
internal sealed partial class ActivationData : IGrainContext
{
    private readonly Catalog _catalog;
    private readonly GrainClassInfo _class;
    private object? _grain;
    private GrainReference? _reference;
    private ActivationState _state;
    private Queue<IActivationWorkItem>? _pending;

    // How many queued items interleave, so that a blocked queue is searched for them only when there are some.
    private int _pendingInterleaving;

    // Requests in progress that hold the turn (not interleaving), of which how many may write.
    private int _running;
    private int _runningWrites;

    // Everything in progress, interleaving work included: deactivation waits for zero.
    private int _inFlight;

    private long _lastActiveTicks;
    private long _keepAliveUntilTicks;
    private bool _deactivationRequested;
    private DeactivationReason _deactivationReason;
    private List<GrainTimer>? _timers;
    private List<IPersistentStateSetup>? _states;
    private TaskCompletionSource? _deactivated;
    private StreamConsumerExtension? _streamConsumer;

    public ActivationData(Catalog catalog, GrainClassInfo grainClass, GrainId grainId)
    {
        _catalog = catalog;
        _class = grainClass;
        GrainId = grainId;
        _lastActiveTicks = Environment.TickCount64;
    }

    public GrainId GrainId { get; }

    public object? GrainInstance => _grain;

    public GrainReference GrainReference => _reference ??= _catalog.CreateReference(GrainId, _class);

    public IServiceProvider ActivationServices => _catalog.Services;

    public SiloAddress Address => _catalog.SiloAddress;

    public GrainClassInfo GrainClass => _class;

    /// <summary>The stream observers that grain code attached in this activation. Used only inside its turns.</summary>
    internal StreamConsumerExtension StreamConsumer => _streamConsumer ??= new StreamConsumerExtension(this);

    internal ActivationState State
    {
        get
        {
            lock (this)
            {
                return _state;
            }
        }
    }

    /// <summary>Begins activation: construct, read state, OnActivateAsync; calls queue meanwhile.</summary>
    public void Start()
    {
        _state = ActivationState.Activating;
        StartTurn(static s => ((ActivationData)s!).ActivateAsync(), this);
    }

    /// <summary>Queues a call or timer tick, and starts it if the turn rules allow.</summary>
    public void Enqueue(IActivationWorkItem item)
    {
        lock (this)
        {
            if (_state != ActivationState.Invalid)
            {
                (_pending ??= new Queue<IActivationWorkItem>()).Enqueue(item);
                if (item.Interleaves)
                {
                    _pendingInterleaving++;
                }

                PumpLocked();
                return;
            }
        }

        // Too late: this activation is gone. The catalog makes a new one.
        _catalog.Forward(item, this);
    }

    public void Deactivate(DeactivationReason deactivationReason, CancellationToken cancellationToken = default)
    {
        lock (this)
        {
            if (_deactivationRequested || _state is ActivationState.Deactivating or ActivationState.Invalid)
            {
                return;
            }

            _deactivationRequested = true;
            _deactivationReason = deactivationReason;
            TryStartDeactivationLocked();
        }
    }

    /// <summary>Deactivates and completes when the activation is gone.</summary>
    public Task DeactivateAsync(DeactivationReason reason)
    {
        lock (this)
        {
            if (_state == ActivationState.Invalid)
            {
                return Task.CompletedTask;
            }

            _deactivated ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        Deactivate(reason);
        return _deactivated.Task;
    }

    public void DelayDeactivation(TimeSpan timeSpan)
    {
        lock (this)
        {
            _keepAliveUntilTicks = timeSpan <= TimeSpan.Zero
                ? 0
                : timeSpan >= TimeSpan.FromDays(3650) ? long.MaxValue : Environment.TickCount64 + (long)timeSpan.TotalMilliseconds;
        }
    }

    /// <summary>Whether the idle collector may take this activation now.</summary>
    public bool IsIdleLongerThan(long ageMilliseconds, long nowTicks)
    {
        lock (this)
        {
            return _state == ActivationState.Valid
                && _inFlight == 0
                && (_pending is null || _pending.Count == 0)
                && nowTicks - _lastActiveTicks >= ageMilliseconds
                && nowTicks >= _keepAliveUntilTicks;
        }
    }

    internal IPersistentState<TState> GetPersistentState<TState>(string stateName, string? storageName)
    {
        var storage = _catalog.GetStorage(storageName);
        var state = new PersistentState<TState>(stateName, GrainId, storage);
        (_states ??= new List<IPersistentStateSetup>(1)).Add(state);
        return state;
    }

    internal IPersistentCollection<TItem> GetPersistentCollection<TItem>(string collectionName, string? storageName)
    {
        var storage = _catalog.GetCollectionStorage(storageName);
        var collection = new PersistentCollection<TItem>(collectionName, GrainId, storage);
        (_states ??= new List<IPersistentStateSetup>(1)).Add(collection);
        return collection;
    }

    internal void AddTimer(GrainTimer timer)
    {
        lock (this)
        {
            (_timers ??= new List<GrainTimer>(1)).Add(timer);
        }
    }

    internal void RemoveTimer(GrainTimer timer)
    {
        lock (this)
        {
            _timers?.Remove(timer);
        }
    }

    public override string ToString() => $"[Activation {GrainId}]";

    private async Task ActivateAsync()
    {
        try
        {
            ActivationContext.CurrentlyConstructing = this;
            try
            {
                _grain = _class.Factory(_catalog.Services, this);
            }
            finally
            {
                ActivationContext.CurrentlyConstructing = null;
            }

            if (_states is not null)
            {
                foreach (var state in _states)
                {
                    await state.ReadStateAsync().ConfigureAwait(true);
                }
            }

            using var cts = new CancellationTokenSource(_catalog.Options.ActivationTimeout);
            await ((IGrainBase)_grain).OnActivateAsync(cts.Token).ConfigureAwait(true);
        }
        catch (Exception exception)
        {
            _catalog.Log.ActivationFailed(exception, GrainId);
            List<IActivationWorkItem>? failed;
            lock (this)
            {
                _state = ActivationState.Invalid;
                failed = DrainPendingLocked();
            }

            _catalog.Remove(this);
            DisposeTimers();
            var error = new GrainRuntimeException($"Activation of {GrainId} failed: {exception.Message}", exception);
            foreach (var item in failed ?? [])
            {
                item.Fail(error);
            }

            _deactivated?.TrySetResult();
            return;
        }

        lock (this)
        {
            _state = ActivationState.Valid;
            _lastActiveTicks = Environment.TickCount64;
            PumpLocked();
            TryStartDeactivationLocked();
        }
    }

    private void TryStartDeactivationLocked()
    {
        if (_deactivationRequested && _state == ActivationState.Valid && _inFlight == 0)
        {
            _state = ActivationState.Deactivating;
            StartTurn(static s => ((ActivationData)s!).RunDeactivationAsync(), this);
        }
    }

    private async Task RunDeactivationAsync()
    {
        DisposeTimers();
        try
        {
            using var cts = new CancellationTokenSource(_catalog.Options.DeactivationTimeout);
            await ((IGrainBase)_grain!).OnDeactivateAsync(_deactivationReason, cts.Token).ConfigureAwait(true);
        }
        catch (Exception exception)
        {
            _catalog.Log.DeactivationFailed(exception, GrainId);
        }

        _catalog.Remove(this);
        List<IActivationWorkItem>? forward;
        lock (this)
        {
            _state = ActivationState.Invalid;
            forward = DrainPendingLocked();
        }

        foreach (var item in forward ?? [])
        {
            _catalog.Forward(item, this);
        }

        _deactivated?.TrySetResult();
    }

    private void DisposeTimers()
    {
        GrainTimer[]? timers;
        lock (this)
        {
            timers = _timers?.ToArray();
            _timers = null;
        }

        foreach (var timer in timers ?? [])
        {
            timer.Dispose();
        }
    }

    private List<IActivationWorkItem>? DrainPendingLocked()
    {
        _pendingInterleaving = 0;
        if (_pending is null || _pending.Count == 0)
        {
            _pending = null;
            return null;
        }

        var items = new List<IActivationWorkItem>(_pending);
        _pending = null;
        return items;
    }
}
