using System.Security.Cryptography;
using Bifro.Runtime;
using Microsoft.Extensions.Logging;

namespace Bifro.Grains.DenyList;

/// <summary>
/// One deny list (<see cref="IDenyListGrain"/>). Bans are stored with the grain's state; expired ones are
/// left out of every answer at once and pruned from storage once a minute. Replicas hear each change in
/// order (a version per change, an epoch per activation), and every ban added or removed is reported as
/// an event on the list's stream.
/// </summary>
internal sealed partial class DenyListGrain : Grain, IDenyListGrain
{
    private static readonly TimeSpan PrunePeriod = TimeSpan.FromMinutes(1);

    private readonly IPersistentState<DenyListState> _state;
    private readonly IEventReporter _events;
    private readonly TimeProvider _time;
    private readonly ILogger<DenyListGrain> _logger;
    private readonly HashSet<IDenyListObserver> _observers = new();
    private readonly long _epoch;
    private long _version;

    public DenyListGrain(
        [PersistentState("denylist")] IPersistentState<DenyListState> state,
        TimeProvider time,
        ILogger<DenyListGrain> logger,
        IEventReporter? events = null)
    {
        _state = state;
        _events = events ?? NullEventReporter.Instance;
        _time = time;
        _logger = logger;
        _epoch = time.GetUtcNow().UtcTicks;
    }

    private string Scope => this.GetPrimaryKeyString();

    private List<BanEntry> Bans => _state.State.Bans;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        this.RegisterGrainTimer(PruneAsync, PrunePeriod, PrunePeriod);
        return Task.CompletedTask;
    }

    public async Task<BanEntry> AddAsync(BanRequest request)
    {
        if (!BanValues.TryNormalize(request.Kind, request.Value, out var value, out var error))
        {
            throw new ArgumentException($"Invalid ban: {error}.", nameof(request));
        }

        if (request.Duration is { } duration && duration <= TimeSpan.Zero)
        {
            throw new ArgumentException($"Invalid ban: the duration must be positive; it is {duration}.", nameof(request));
        }

        var now = _time.GetUtcNow();
        var index = Bans.FindIndex(b => b.Kind == request.Kind && string.Equals(b.Value, value, StringComparison.Ordinal));
        var ban = new BanEntry
        {
            // A ban of the same client, user or address is replaced and keeps its id, so there is one to remove.
            Id = index >= 0 ? Bans[index].Id : NewId(),
            Kind = request.Kind,
            Value = value,
            CreatedAt = now,
            ExpiresAt = request.Duration is { } d ? now + d : null,
            Reason = request.Reason,
            Source = request.Source,
        };
        if (index >= 0)
        {
            Bans[index] = ban;
        }
        else
        {
            Bans.Add(ban);
        }

        await _state.WriteStateAsync().ConfigureAwait(true);
        Notify(new DenyListChange { Scope = Scope, Epoch = _epoch, Version = ++_version, Added = ban });
        LogBanned(Scope, ban.ToString());
        _events.Report(new BanEvent
        {
            Type = EventType.ClientBanned,
            TenantId = Scope == DenyListScopes.Cluster ? null : Scope,
            ClientId = request.TriggerClientId,
            UserId = request.TriggerUserId,
            RemoteAddress = request.TriggerAddress,
            Ban = ban,
            Scope = Scope,
            Count = request.TriggerCount,
        });
        return ban;
    }

    public async Task<bool> RemoveAsync(string banId)
    {
        var index = Bans.FindIndex(b => string.Equals(b.Id, banId, StringComparison.Ordinal));
        if (index < 0)
        {
            return false;
        }

        var ban = Bans[index];
        Bans.RemoveAt(index);
        await _state.WriteStateAsync().ConfigureAwait(true);
        Notify(new DenyListChange { Scope = Scope, Epoch = _epoch, Version = ++_version, RemovedId = banId });
        if (!ban.IsExpired(_time.GetUtcNow()))
        {
            LogUnbanned(Scope, ban.ToString());
            _events.Report(new BanEvent { Type = EventType.BanRemoved, TenantId = Scope == DenyListScopes.Cluster ? null : Scope, Ban = ban, Scope = Scope });
        }

        return true;
    }

    public Task<BanEntry[]> ListAsync()
    {
        var now = _time.GetUtcNow();
        return Task.FromResult(Bans.Where(b => !b.IsExpired(now)).ToArray());
    }

    public Task<DenyListSnapshot> SubscribeAsync(IDenyListObserver observer)
    {
        _observers.Add(observer);

        // Edges consult this list on every CONNECT through their replica; it stays while any listens.
        DelayDeactivation(TimeSpan.MaxValue);
        var now = _time.GetUtcNow();
        return Task.FromResult(new DenyListSnapshot
        {
            Scope = Scope,
            Epoch = _epoch,
            Version = _version,
            Bans = Bans.Where(b => !b.IsExpired(now)).ToArray(),
        });
    }

    public Task UnsubscribeAsync(IDenyListObserver observer)
    {
        _observers.Remove(observer);
        if (_observers.Count == 0)
        {
            DelayDeactivation(TimeSpan.Zero);
        }

        return Task.CompletedTask;
    }

    /// <summary>Drops expired bans from storage and from replicas (which already ignore them).</summary>
    private async Task PruneAsync()
    {
        var now = _time.GetUtcNow();
        var expired = Bans.Where(b => b.IsExpired(now)).ToList();
        if (expired.Count == 0)
        {
            return;
        }

        Bans.RemoveAll(b => b.IsExpired(now));
        await _state.WriteStateAsync().ConfigureAwait(true);
        foreach (var ban in expired)
        {
            Notify(new DenyListChange { Scope = Scope, Epoch = _epoch, Version = ++_version, RemovedId = ban.Id });
        }

        LogPruned(Scope, expired.Count);
    }

    private void Notify(DenyListChange change)
    {
        foreach (var observer in _observers)
        {
            _ = observer.OnDenyListChangedAsync(change);
        }
    }

    private static string NewId() => "ban-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6));

    [LoggerMessage(1, LogLevel.Information, "Deny list {Scope}: banned {Ban}")]
    private partial void LogBanned(string scope, string ban);

    [LoggerMessage(2, LogLevel.Information, "Deny list {Scope}: removed {Ban}")]
    private partial void LogUnbanned(string scope, string ban);

    [LoggerMessage(3, LogLevel.Debug, "Deny list {Scope}: {Count} expired bans pruned")]
    private partial void LogPruned(string scope, int count);
}
