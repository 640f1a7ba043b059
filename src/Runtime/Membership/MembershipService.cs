using System.Collections.Concurrent;
using System.Collections.Immutable;
using Bifro.Configuration;
using Bifro.Hosting;
using Bifro.Runtime.Messaging;
using Bifro.Runtime.Transport;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Bifro.Runtime.Membership;

/// <summary>
/// Orleans' membership protocol on a shared table. A silo inserts its row as Joining, then makes it
/// Active; every change is a compare-and-swap on the table version. It writes IAmAlive periodically,
/// reads the table periodically and when a peer says it changed it, and probes other silos directly over
/// the transport. After too many missed probes it writes a timestamped suspicion vote into the target's
/// row; enough fresh votes declare the target Dead. A dead silo never returns: one that reads its own
/// row as Dead stops its process, and a restart joins with a new generation.
/// </summary>
internal sealed partial class MembershipService : IMembershipViewProvider, ISiloParticipant, IDisposable
{
    private readonly Diagnostics.RuntimeEvents _events;
    private readonly IMembershipTable _table;
    private readonly MessageCenter _messages;
    private readonly ConnectionManager _connections;
    private readonly ILocalSiloDetails _local;
    private readonly ClusterMembershipOptions _options;
    private readonly SiloTransportOptions _transport;
    private readonly TimeProvider _time;
    private readonly IHostApplicationLifetime _lifetime;
    private readonly ILogger<MembershipService> _logger;
    private readonly ConcurrentDictionary<SiloAddress, ProbeState> _probes = new();
    private readonly ConcurrentDictionary<string, ITimer> _clientDrops = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stopping = new();
    private readonly SemaphoreSlim _tableLock = new(1, 1);
    private MembershipView _current;
    private long _nextProbeId;
    private int _refreshRequested;
    private Task? _loop;

    public MembershipService(
        IMembershipTable table,
        MessageCenter messages,
        ConnectionManager connections,
        ILocalSiloDetails local,
        IOptions<ClusterMembershipOptions> options,
        IOptions<SiloTransportOptions> transport,
        TimeProvider time,
        IHostApplicationLifetime lifetime,
        Diagnostics.RuntimeEvents events,
        ILogger<MembershipService> logger)
    {
        _events = events;
        _table = table;
        _messages = messages;
        _connections = connections;
        _local = local;
        _options = options.Value;
        _transport = transport.Value;
        _time = time;
        _lifetime = lifetime;
        _logger = logger;
        _current = new MembershipView(0, ImmutableDictionary<SiloAddress, SiloInfo>.Empty);
        _messages.PongReceived += OnPong;
        _messages.MembershipChanged += () => Interlocked.Exchange(ref _refreshRequested, 1);
        _connections.ClientConnected += OnClientConnected;
        _connections.ClientDisconnected += OnClientDisconnected;
    }

    public MembershipView Current => Volatile.Read(ref _current);

    public event Action<MembershipView>? ViewChanged;

    public event Action<string>? NodeLost;

    /// <summary>After storage (which grains read on activation), before anything serves clients.</summary>
    public int Stage => 2000;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await _table.InitializeMembershipTable(tryInitTableVersion: true).ConfigureAwait(false);
        _connections.Start(_messages);
        var now = _time.GetUtcNow().UtcDateTime;
        var entry = new MembershipEntry
        {
            SiloAddress = _local.SiloAddress,
            Status = SiloStatus.Joining,
            SiloName = _local.SiloName,
            HostName = Environment.MachineName,
            ProxyPort = _transport.GatewayPort,
            StartTime = now,
            IAmAliveTime = now,
        };

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(_options.MaxJoinAttemptTime);
        await ChangeOwnRowAsync(entry, insert: true, deadline.Token).ConfigureAwait(false);
        LogJoining(_local.SiloAddress);
        await ValidateInitialConnectivityAsync(entry, deadline.Token).ConfigureAwait(false);
        entry.Status = SiloStatus.Active;
        await ChangeOwnRowAsync(entry, insert: false, deadline.Token).ConfigureAwait(false);
        await RefreshAsync().ConfigureAwait(false);
        LogActive(_local.SiloAddress, Current.Active.Length);
        _events.OnSiloJoined(_local.SiloAddress);
        _messages.NotifyMembershipChanged(Current.Active);
        _loop = RunAsync(_stopping.Token);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        _stopping.Cancel();
        try
        {
            if (_loop is not null)
            {
                await _loop.ConfigureAwait(false);
            }

            var own = Current.StatusOf(_local.SiloAddress);
            if (own is SiloStatus.Active or SiloStatus.Joining)
            {
                // A graceful stop: ShuttingDown, then Dead, so peers stop routing here at once.
                var entry = await ReadOwnAsync().ConfigureAwait(false);
                if (entry is not null)
                {
                    entry.Status = SiloStatus.ShuttingDown;
                    await ChangeOwnRowAsync(entry, insert: false, cancellationToken).ConfigureAwait(false);
                    entry.Status = SiloStatus.Dead;
                    await ChangeOwnRowAsync(entry, insert: false, cancellationToken).ConfigureAwait(false);
                    _messages.NotifyMembershipChanged(Current.Active);
                }
            }
        }
        catch (Exception exception) when (exception is OperationCanceledException or InvalidOperationException)
        {
            LogLeaveFailed(exception);
        }
    }

    public void Dispose()
    {
        _stopping.Cancel();
        _tableLock.Dispose();
    }

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        var probePeriod = _options.ProbeTimeout;
        var tick = TimeSpan.FromMilliseconds(Math.Max(100, Math.Min(1000, probePeriod.TotalMilliseconds / 4)));
        var nextProbe = _time.GetTimestamp();
        var nextAlive = _time.GetTimestamp();
        var nextRefresh = _time.GetTimestamp();
        using var timer = new PeriodicTimer(tick, _time);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
            {
                var now = _time.GetTimestamp();
                try
                {
                    if (Interlocked.Exchange(ref _refreshRequested, 0) == 1 || now >= nextRefresh)
                    {
                        await RefreshAsync().ConfigureAwait(false);
                        nextRefresh = now + (long)(_options.TableRefreshTimeout.TotalSeconds * _time.TimestampFrequency);
                    }

                    if (now >= nextAlive)
                    {
                        await PublishIAmAliveAsync().ConfigureAwait(false);
                        nextAlive = now + (long)(_options.IAmAliveTablePublishTimeout.TotalSeconds * _time.TimestampFrequency);
                    }

                    if (now >= nextProbe)
                    {
                        await ProbeAsync().ConfigureAwait(false);
                        nextProbe = now + (long)(probePeriod.TotalSeconds * _time.TimestampFrequency);
                    }
                }
                catch (Exception exception) when (exception is not OperationCanceledException)
                {
                    // The table may be briefly unreachable; the next tick tries again.
                    LogLoopFailed(exception);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>Reads the table into a new view; raises ViewChanged when it differs.</summary>
    private async Task RefreshAsync()
    {
        var view = MembershipView.From(await _table.ReadAll().ConfigureAwait(false));
        var previous = Current;
        if (view.StatusOf(_local.SiloAddress) == SiloStatus.Dead && previous.StatusOf(_local.SiloAddress) != SiloStatus.Dead
            && !_stopping.IsCancellationRequested)
        {
            // Declared dead by the others (a partition, a long pause): this silo must not come back.
            LogDeclaredDead(_local.SiloAddress);
            Volatile.Write(ref _current, view);
            _lifetime.StopApplication();
            return;
        }

        if (MembershipView.SameMembership(previous, view))
        {
            return;
        }

        Volatile.Write(ref _current, view);
        LogViewChanged(view.ToString());
        List<SiloAddress>? died = null;
        foreach (var (silo, info) in view.Silos)
        {
            if (info.Status == SiloStatus.Dead && previous.StatusOf(silo) != SiloStatus.Dead)
            {
                _connections.Forget(silo);
                _probes.TryRemove(silo, out _);
                (died ??= new List<SiloAddress>()).Add(silo);
            }
        }

        ViewChanged?.Invoke(view);
        foreach (var silo in died ?? [])
        {
            if (previous.Silos.ContainsKey(silo))
            {
                // A silo this one knew alive; one first seen dead (an old row) held nothing it must let go of.
                NodeLost?.Invoke(silo.ToParsableString());
            }
        }
    }

    private void OnClientConnected(string client)
    {
        if (_clientDrops.TryRemove(client, out var timer))
        {
            timer.Dispose();
        }
    }

    /// <summary>
    /// A client that stays away from this gateway past ClientDropTimeout is lost. Clients keep a connection
    /// to every gateway and reconnect within seconds, so a client still alive is back long before.
    /// </summary>
    private void OnClientDisconnected(string client)
    {
        if (_stopping.IsCancellationRequested)
        {
            return;
        }

        var timer = _time.CreateTimer(
            static state =>
            {
                var (self, name) = ((MembershipService, string))state!;
                if (self._clientDrops.TryRemove(name, out var t))
                {
                    t.Dispose();
                    self.LogClientDropped(name);
                    self.NodeLost?.Invoke(Messaging.LocalSiloDetails.ClientPrefix + name);
                }
            },
            (this, client),
            _options.ClientDropTimeout,
            Timeout.InfiniteTimeSpan);
        if (_clientDrops.TryGetValue(client, out var previous) && _clientDrops.TryUpdate(client, timer, previous))
        {
            previous.Dispose();
        }
        else if (!_clientDrops.TryAdd(client, timer))
        {
            timer.Dispose();
        }
    }

    private async Task PublishIAmAliveAsync()
    {
        var entry = new MembershipEntry { SiloAddress = _local.SiloAddress, IAmAliveTime = _time.GetUtcNow().UtcDateTime };
        await _table.UpdateIAmAlive(entry).ConfigureAwait(false);
    }

    /// <summary>Probes up to NumProbedSilos of the active silos that follow this one; counts what went unanswered since the last round.</summary>
    private async Task ProbeAsync()
    {
        var view = Current;
        var others = view.Active.Where(s => !s.Equals(_local.SiloAddress)).ToList();
        if (others.Count == 0)
        {
            return;
        }

        // Successors in address order, so that probing load spreads evenly over the cluster.
        var start = others.FindIndex(s => s.CompareTo(_local.SiloAddress) > 0);
        start = start < 0 ? 0 : start;
        var targets = new List<SiloAddress>();
        for (var i = 0; i < Math.Min(_options.NumProbedSilos, others.Count); i++)
        {
            targets.Add(others[(start + i) % others.Count]);
        }

        foreach (var silo in _probes.Keys)
        {
            if (!targets.Contains(silo))
            {
                _probes.TryRemove(silo, out _);
            }
        }

        foreach (var silo in targets)
        {
            var state = _probes.GetOrAdd(silo, static _ => new ProbeState());
            var missed = state.CloseRound();
            if (missed >= _options.NumMissedProbesLimit)
            {
                LogSuspect(silo, missed);
                await VoteAsync(silo).ConfigureAwait(false);
            }

            var id = Interlocked.Increment(ref _nextProbeId);
            state.Sent(id);
            _messages.Ping(silo, id);
        }
    }

    private void OnPong(TransportConnection connection, long probeId)
    {
        OnJoinPong(probeId);
        foreach (var state in _probes.Values)
        {
            state.Answered(probeId);
        }
    }

    /// <summary>Writes this silo's vote that <paramref name="silo"/> is dead; enough fresh votes declare it Dead.</summary>
    private async Task VoteAsync(SiloAddress silo)
    {
        await _tableLock.WaitAsync().ConfigureAwait(false);
        try
        {
            for (var attempt = 0; attempt < 3; attempt++)
            {
                var data = await _table.ReadAll().ConfigureAwait(false);
                var row = data.Members.FirstOrDefault(m => m.Entry.SiloAddress.Equals(silo));
                if (row.Entry is null || row.Entry.Status == SiloStatus.Dead)
                {
                    return;
                }

                var now = _time.GetUtcNow().UtcDateTime;
                var entry = row.Entry.Copy();
                entry.SuspectTimes.RemoveAll(v => now - v.At > _options.DeathVoteExpirationTimeout || v.Voter.Equals(_local.SiloAddress));
                entry.SuspectTimes.Add((_local.SiloAddress, now));
                var staleBefore = now - (_options.IAmAliveTablePublishTimeout * _options.NumMissedTableIAmAliveLimit);
                var activeNonStale = data.Members.Count(m => m.Entry.Status == SiloStatus.Active && m.Entry.IAmAliveTime >= staleBefore);
                var needed = Math.Max(1, Math.Min(_options.NumVotesForDeathDeclaration, (activeNonStale + 1) / 2));
                var votes = entry.SuspectTimes.Select(v => v.Voter).Distinct().Count();
                if (votes >= needed)
                {
                    entry.Status = SiloStatus.Dead;
                }

                if (await _table.UpdateRow(entry, row.Etag, data.Version.Next()).ConfigureAwait(false))
                {
                    if (entry.Status == SiloStatus.Dead)
                    {
                        LogDeclaredOtherDead(silo, votes);
                        _events.OnSiloDeclaredDead(silo);
                        await RefreshAsync().ConfigureAwait(false);
                        _messages.NotifyMembershipChanged(Current.Active);
                    }
                    else
                    {
                        LogVoted(silo, votes, needed);
                    }

                    return;
                }
            }
        }
        finally
        {
            _tableLock.Release();
        }
    }

    private async Task<MembershipEntry?> ReadOwnAsync()
    {
        var data = await _table.ReadRow(_local.SiloAddress).ConfigureAwait(false);
        return data.Members.Count == 0 ? null : data.Members[0].Entry.Copy();
    }

    /// <summary>Inserts or updates this silo's row, retrying the compare-and-swap while others change the table.</summary>
    private async Task ChangeOwnRowAsync(MembershipEntry entry, bool insert, CancellationToken cancellationToken)
    {
        await _tableLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var delay = TimeSpan.FromMilliseconds(20);
            while (true)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var data = await _table.ReadAll().ConfigureAwait(false);
                var own = data.Members.FirstOrDefault(m => m.Entry.SiloAddress.Equals(entry.SiloAddress));
                if (!insert && own.Entry is not null)
                {
                    entry.SuspectTimes.Clear();
                    entry.SuspectTimes.AddRange(own.Entry.SuspectTimes);
                    if (own.Entry.Status == SiloStatus.Dead && entry.Status != SiloStatus.Dead)
                    {
                        throw new InvalidOperationException($"Silo {entry.SiloAddress} was declared dead; it cannot become {entry.Status}.");
                    }
                }

                entry.IAmAliveTime = _time.GetUtcNow().UtcDateTime;
                var done = insert
                    ? await _table.InsertRow(entry, data.Version.Next()).ConfigureAwait(false)
                    : await _table.UpdateRow(entry, own.Etag ?? string.Empty, data.Version.Next()).ConfigureAwait(false);
                if (done)
                {
                    return;
                }

                await Task.Delay(delay + TimeSpan.FromMilliseconds(Random.Shared.Next(20)), cancellationToken).ConfigureAwait(false);
                delay = TimeSpan.FromMilliseconds(Math.Min(delay.TotalMilliseconds * 2, 1000));
            }
        }
        finally
        {
            _tableLock.Release();
        }
    }

    [LoggerMessage(10, LogLevel.Warning, "Cluster client {Client} stayed disconnected past the drop timeout; letting go of its sessions")]
    private partial void LogClientDropped(string client);

    [LoggerMessage(1, LogLevel.Information, "Silo {Silo} joining the cluster")]
    private partial void LogJoining(SiloAddress silo);

    [LoggerMessage(2, LogLevel.Information, "Silo {Silo} is active; {Count} active silos")]
    private partial void LogActive(SiloAddress silo, int count);

    [LoggerMessage(3, LogLevel.Information, "Membership changed: {View}")]
    private partial void LogViewChanged(string view);

    [LoggerMessage(4, LogLevel.Warning, "Silo {Silo} missed {Missed} probes in a row")]
    private partial void LogSuspect(SiloAddress silo, int missed);

    [LoggerMessage(5, LogLevel.Information, "Voted silo {Silo} dead ({Votes} of {Needed} votes)")]
    private partial void LogVoted(SiloAddress silo, int votes, int needed);

    [LoggerMessage(6, LogLevel.Warning, "Declared silo {Silo} dead ({Votes} votes)")]
    private partial void LogDeclaredOtherDead(SiloAddress silo, int votes);

    [LoggerMessage(7, LogLevel.Critical, "This silo {Silo} was declared dead by the cluster; stopping. A restart joins as a new silo.")]
    private partial void LogDeclaredDead(SiloAddress silo);

    [LoggerMessage(8, LogLevel.Warning, "Membership upkeep failed; retrying")]
    private partial void LogLoopFailed(Exception exception);

    [LoggerMessage(9, LogLevel.Warning, "Could not mark this silo as stopped in the membership table")]
    private partial void LogLeaveFailed(Exception exception);

    /// <summary>Probes sent to one silo in the current round, and answers received.</summary>
    private sealed class ProbeState
    {
        private long _outstanding;
        private bool _answered = true;
        private int _missed;

        public void Sent(long id)
        {
            lock (this)
            {
                _outstanding = id;
                _answered = false;
            }
        }

        public void Answered(long id)
        {
            lock (this)
            {
                if (id == _outstanding)
                {
                    _answered = true;
                    _missed = 0;
                }
            }
        }

        /// <summary>Ends a round: how many rounds in a row went unanswered.</summary>
        public int CloseRound()
        {
            lock (this)
            {
                if (!_answered)
                {
                    _missed++;
                }

                return _missed;
            }
        }
    }
}
