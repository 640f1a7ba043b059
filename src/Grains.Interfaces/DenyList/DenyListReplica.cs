using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Net;
using Bifro.Runtime;
using Bifro.Runtime.Membership;
using Microsoft.Extensions.Logging;

namespace Bifro.Grains;

/// <summary>
/// This node's replicas of deny lists (the shape of the edge's route replica): the cluster-wide list is
/// loaded at start, a tenant's when its first client authenticates; each follows its grain's changes.
/// CONNECT looks bans up here without a grain call. A new ban raises <see cref="BanAdded"/>, so the edge
/// can close the connections it matches. After a membership change (a deny-list grain may have moved and
/// lost its listeners) every loaded list is loaded again.
/// </summary>
internal sealed partial class DenyListReplica : IDenyList, IDenyListObserver
{
    private static readonly TimeSpan FirstPass = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan SecondPass = TimeSpan.FromSeconds(5);

    private readonly ConcurrentDictionary<string, Scope> _scopes = new(StringComparer.Ordinal);
    private readonly IGrainFactory _grainFactory;
    private readonly IMembershipViewProvider _membership;
    private readonly TimeProvider _time;
    private readonly ILogger<DenyListReplica> _logger;
    private readonly object _viewLock = new();
    private ImmutableArray<SiloAddress> _lastActive;
    private IDenyListObserver? _self;
    private bool _started;

    public DenyListReplica(IGrainFactory grainFactory, IMembershipViewProvider membership, TimeProvider time, ILogger<DenyListReplica> logger)
    {
        _grainFactory = grainFactory;
        _membership = membership;
        _time = time;
        _logger = logger;
    }

    /// <summary>A ban was added to (or replaced in) a loaded list: (scope, ban).</summary>
    public event Action<string, BanEntry>? BanAdded;

    /// <summary>Loads the cluster-wide list now (in the background) and follows membership changes.</summary>
    public void Start()
    {
        lock (_viewLock)
        {
            if (_started)
            {
                return;
            }

            _started = true;
            _lastActive = _membership.Current.Active;
        }

        _membership.ViewChanged += OnViewChanged;
        _ = LoadClusterScopeAsync();
    }

    /// <summary>Stops listening (node shutdown).</summary>
    public async Task StopAsync()
    {
        _membership.ViewChanged -= OnViewChanged;
        if (_self is null)
        {
            return;
        }

        foreach (var scope in _scopes.Keys)
        {
            try
            {
                await Grain(scope).UnsubscribeAsync(_self).WaitAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(false);
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                // The silo may be stopping; the grain forgets its listeners with it.
            }
        }

        _grainFactory.DeleteObjectReference<IDenyListObserver>(this);
    }

    /// <summary>Whether <paramref name="scope"/> is loaded (its lookups are answered here).</summary>
    public bool IsLoaded(string scope) => _scopes.TryGetValue(scope, out var state) && state.Ready.IsCompletedSuccessfully;

    /// <summary>The ban in force that matches, from a loaded list; null when none matches or the list is not loaded.</summary>
    public BanEntry? Find(string scope, string? clientId, string? user, IPAddress? address) =>
        _scopes.TryGetValue(scope, out var state) ? state.Index.Find(clientId, user, address, _time.GetUtcNow()) : null;

    /// <summary>The bans of a loaded list in force now.</summary>
    public IReadOnlyList<BanEntry> GetBans(string scope)
    {
        var now = _time.GetUtcNow();
        return _scopes.TryGetValue(scope, out var state) ? state.Index.Bans.Where(b => !b.IsExpired(now)).ToList() : [];
    }

    /// <summary>Loads <paramref name="scope"/> and follows it; completes at once when it is loaded.</summary>
    public Task LoadAsync(string scope)
    {
        var state = _scopes.GetOrAdd(scope, static s => new Scope(s));
        if (state.Ready.IsCompletedSuccessfully)
        {
            return Task.CompletedTask;
        }

        lock (state)
        {
            if (state.Loading is null || state.Loading.IsFaulted)
            {
                state.Loading = ReloadAsync(state);
            }

            return state.Loading;
        }
    }

    public async ValueTask<BanEntry?> FindAsync(string scope, string? clientId, string? user, string? remoteAddress, CancellationToken cancellationToken = default)
    {
        await LoadAsync(scope).WaitAsync(cancellationToken).ConfigureAwait(false);
        var address = BanValues.TryParseAddress(remoteAddress, out var parsed) ? parsed : null;
        return Find(scope, clientId, user, address);
    }

    public Task OnDenyListChangedAsync(DenyListChange change)
    {
        if (!_scopes.TryGetValue(change.Scope, out var state))
        {
            return Task.CompletedTask;
        }

        bool applied;
        lock (state)
        {
            var index = state.Index;
            applied = change.Epoch == index.Epoch && change.Version == index.Version + 1;
            if (applied)
            {
                state.Index = index.With(change);
            }
        }

        if (!applied)
        {
            // Another activation, or a missed change: the whole list again.
            LogResync(change.Scope);
            _ = ReloadAsync(state);
            return Task.CompletedTask;
        }

        if (change.Added is { } added)
        {
            RaiseBanAdded(change.Scope, added);
        }

        return Task.CompletedTask;
    }

    private async Task LoadClusterScopeAsync()
    {
        var delay = TimeSpan.FromMilliseconds(200);
        while (true)
        {
            try
            {
                await LoadAsync(DenyListScopes.Cluster).ConfigureAwait(false);
                return;
            }
            catch (Exception exception)
            {
                // No silo yet (an edge-only node starting before the silos): try again.
                LogLoadFailed(exception, DenyListScopes.Cluster);
                await Task.Delay(delay, _time).ConfigureAwait(false);
                delay = TimeSpan.FromMilliseconds(Math.Min(delay.TotalMilliseconds * 2, 5000));
            }
        }
    }

    private async Task ReloadAsync(Scope state)
    {
        try
        {
            _self ??= _grainFactory.CreateObjectReference<IDenyListObserver>(this);
            var snapshot = await Grain(state.Name).SubscribeAsync(_self).ConfigureAwait(false);
            List<BanEntry>? added = null;
            lock (state)
            {
                var before = state.Index;
                state.Index = new DenyListIndex(snapshot.Epoch, snapshot.Version, snapshot.Bans);
                if (state.Ready.IsCompletedSuccessfully)
                {
                    // A reload after a missed change: bans it did not know are new to it.
                    foreach (var ban in snapshot.Bans)
                    {
                        if (!before.Bans.Any(b => b.Id == ban.Id && b.ExpiresAt == ban.ExpiresAt))
                        {
                            (added ??= new List<BanEntry>()).Add(ban);
                        }
                    }
                }
            }

            state.MarkReady();
            LogLoaded(state.Name, snapshot.Bans.Length);
            foreach (var ban in added ?? [])
            {
                RaiseBanAdded(state.Name, ban);
            }
        }
        catch (Exception exception)
        {
            LogLoadFailed(exception, state.Name);
            throw;
        }
    }

    private void RaiseBanAdded(string scope, BanEntry ban)
    {
        try
        {
            BanAdded?.Invoke(scope, ban);
        }
        catch (Exception exception)
        {
            LogHandlerFailed(exception, scope);
        }
    }

    private void OnViewChanged(MembershipView view)
    {
        lock (_viewLock)
        {
            if (!_lastActive.IsDefault && _lastActive.SequenceEqual(view.Active))
            {
                return;
            }

            _lastActive = view.Active;
        }

        _ = ReloadAllAsync();
    }

    private async Task ReloadAllAsync()
    {
        await Task.Delay(FirstPass, _time).ConfigureAwait(false);
        await ReloadLoadedAsync().ConfigureAwait(false);
        await Task.Delay(SecondPass - FirstPass, _time).ConfigureAwait(false);
        await ReloadLoadedAsync().ConfigureAwait(false);
    }

    private async Task ReloadLoadedAsync()
    {
        foreach (var state in _scopes.Values)
        {
            try
            {
                await ReloadAsync(state).ConfigureAwait(false);
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                // Logged; the next membership change or missed change tries again.
            }
        }
    }

    private IDenyListGrain Grain(string scope) => _grainFactory.GetGrain<IDenyListGrain>(scope);

    [LoggerMessage(1, LogLevel.Debug, "Deny list {Scope} loaded: {Count} bans")]
    private partial void LogLoaded(string scope, int count);

    [LoggerMessage(2, LogLevel.Information, "Deny list {Scope} changed activation or skipped a version; reloading it")]
    private partial void LogResync(string scope);

    [LoggerMessage(3, LogLevel.Warning, "Deny list {Scope} could not be loaded")]
    private partial void LogLoadFailed(Exception exception, string scope);

    [LoggerMessage(4, LogLevel.Warning, "Acting on a new ban of deny list {Scope} failed")]
    private partial void LogHandlerFailed(Exception exception, string scope);

    /// <summary>One list: its index, and whether it has loaded once.</summary>
    private sealed class Scope(string name)
    {
        private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private volatile DenyListIndex _index = DenyListIndex.Empty;

        public string Name { get; } = name;

        public DenyListIndex Index
        {
            get => _index;
            set => _index = value;
        }

        public Task Ready => _ready.Task;

        public Task? Loading { get; set; }

        public void MarkReady() => _ready.TrySetResult();
    }
}
