using Microsoft.Extensions.Logging;

namespace Bifro.Runtime.Timers;

/// <summary>
/// Fires durable reminders: loads them from the reminder table at start, keeps them in one priority
/// queue driven by one timer, and delivers each tick as a grain call to IRemindable.ReceiveReminder
/// (activating the grain if needed). A one-shot reminder is removed once delivered; a failed delivery is
/// retried a few times with backoff.
/// </summary>
internal sealed partial class ReminderService : IDisposable
{
    private const int MaxAttempts = 5;

    private readonly IReminderTable _table;
    private readonly IGrainFactory _grainFactory;
    private readonly Membership.IMembershipViewProvider _membership;
    private readonly SiloAddress _local;
    private readonly TimeProvider _time;
    private readonly ILogger<ReminderService> _logger;
    private readonly Dictionary<(GrainId, string), Scheduled> _reminders = new();
    private readonly PriorityQueue<Scheduled, DateTime> _queue = new();
    private readonly ITimer _timer;
    private bool _started;

    public ReminderService(
        IReminderTable table,
        IGrainFactory grainFactory,
        Membership.IMembershipViewProvider membership,
        Messaging.ILocalSiloDetails local,
        TimeProvider time,
        ILogger<ReminderService> logger)
    {
        _table = table;
        _grainFactory = grainFactory;
        _membership = membership;
        _local = local.SiloAddress;
        _time = time;
        _logger = logger;
        _timer = time.CreateTimer(static s => ((ReminderService)s!).OnTimer(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    public int Count
    {
        get
        {
            lock (_reminders)
            {
                return _reminders.Count;
            }
        }
    }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await _table.InitAsync(cancellationToken).ConfigureAwait(false);
        await LoadOwnedAsync(cancellationToken).ConfigureAwait(false);
        lock (_reminders)
        {
            _started = true;
        }

        _membership.ViewChanged += view => _ = ReloadAsync();
        ArmTimer();
    }

    /// <summary>
    /// In a cluster each reminder fires on one silo: the one that owns its grain, where the grain is
    /// activated anyway. When membership moves grains, each silo reloads its share of the table.
    /// </summary>
    private bool Owns(GrainId grainId) => _membership.Current.OwnerOf(grainId) is not { } owner || owner.Equals(_local);

    private async Task LoadOwnedAsync(CancellationToken cancellationToken)
    {
        var rows = await _table.ReadAllAsync(cancellationToken).ConfigureAwait(false);
        var owned = new HashSet<(GrainId, string)>();
        foreach (var entry in rows)
        {
            if (Owns(entry.GrainId))
            {
                owned.Add((entry.GrainId, entry.ReminderName));
                lock (_reminders)
                {
                    if (_reminders.TryGetValue((entry.GrainId, entry.ReminderName), out var known) && known.Entry.ETag == entry.ETag)
                    {
                        continue;
                    }
                }

                Schedule(entry);
            }
        }

        lock (_reminders)
        {
            foreach (var key in _reminders.Keys.ToList())
            {
                if (!owned.Contains(key))
                {
                    _reminders.Remove(key, out var scheduled);
                    scheduled!.Cancelled = true;
                }
            }
        }
    }

    private async Task ReloadAsync()
    {
        try
        {
            await LoadOwnedAsync(CancellationToken.None).ConfigureAwait(false);
            ArmTimer();
        }
        catch (Exception exception)
        {
            LogReloadFailed(exception);
        }
    }

    public async Task<IGrainReminder> RegisterOrUpdateAsync(GrainId grainId, string name, TimeSpan dueTime, TimeSpan period)
    {
        if (period != Timeout.InfiniteTimeSpan && period <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(period), "A reminder period must be positive, or Timeout.InfiniteTimeSpan for a one-shot reminder.");
        }

        var startAt = _time.GetUtcNow().UtcDateTime + (dueTime < TimeSpan.Zero ? TimeSpan.Zero : dueTime);
        var etag = await _table.UpsertRowAsync(grainId, name, startAt, period).ConfigureAwait(false);
        Schedule(new ReminderEntry(grainId, name, startAt, period, etag));
        ArmTimer();
        return new GrainReminder(name);
    }

    public async Task UnregisterAsync(GrainId grainId, string name)
    {
        lock (_reminders)
        {
            if (_reminders.Remove((grainId, name), out var scheduled))
            {
                scheduled.Cancelled = true;
            }
        }

        var row = await _table.ReadRowAsync(grainId, name).ConfigureAwait(false);
        if (row is not null)
        {
            await _table.RemoveRowAsync(grainId, name, row.ETag).ConfigureAwait(false);
        }
    }

    public async Task<IGrainReminder?> GetAsync(GrainId grainId, string name) =>
        await _table.ReadRowAsync(grainId, name).ConfigureAwait(false) is { } row ? new GrainReminder(row.ReminderName) : null;

    public async Task<IReadOnlyList<IGrainReminder>> GetAllAsync(GrainId grainId)
    {
        var rows = await _table.ReadRowsAsync(grainId).ConfigureAwait(false);
        var result = new List<IGrainReminder>(rows.Count);
        foreach (var row in rows)
        {
            result.Add(new GrainReminder(row.ReminderName));
        }

        return result;
    }

    public void Dispose() => _timer.Dispose();

    private void Schedule(ReminderEntry entry)
    {
        var now = _time.GetUtcNow().UtcDateTime;
        var due = entry.StartAt;
        if (due < now && entry.Period != Timeout.InfiniteTimeSpan)
        {
            // A periodic reminder that was due while no silo ran fires once now, then keeps its phase.
            due = now;
        }

        lock (_reminders)
        {
            if (_reminders.Remove((entry.GrainId, entry.ReminderName), out var previous))
            {
                previous.Cancelled = true;
            }

            var scheduled = new Scheduled(entry, due);
            _reminders[(entry.GrainId, entry.ReminderName)] = scheduled;
            _queue.Enqueue(scheduled, due);
        }
    }

    private void ArmTimer()
    {
        TimeSpan wait;
        lock (_reminders)
        {
            if (!_started)
            {
                return;
            }

            while (_queue.TryPeek(out var head, out _) && head.Cancelled)
            {
                _queue.Dequeue();
            }

            if (!_queue.TryPeek(out _, out var due))
            {
                return;
            }

            wait = due - _time.GetUtcNow().UtcDateTime;
        }

        _timer.Change(wait < TimeSpan.Zero ? TimeSpan.Zero : wait, Timeout.InfiniteTimeSpan);
    }

    private void OnTimer()
    {
        var now = _time.GetUtcNow().UtcDateTime;
        List<Scheduled>? due = null;
        lock (_reminders)
        {
            while (_queue.TryPeek(out var head, out var at) && at <= now)
            {
                _queue.Dequeue();
                if (!head.Cancelled)
                {
                    (due ??= new List<Scheduled>()).Add(head);
                }
            }
        }

        foreach (var scheduled in due ?? [])
        {
            _ = FireAsync(scheduled, now);
        }

        ArmTimer();
    }

    private async Task FireAsync(Scheduled scheduled, DateTime now)
    {
        var entry = scheduled.Entry;
        if (!Owns(entry.GrainId))
        {
            // Membership moved the grain; its new owner fires the reminder.
            return;
        }

        var status = new TickStatus(entry.StartAt, entry.Period, now);
        try
        {
            await _grainFactory.GetGrain<IRemindable>(entry.GrainId).ReceiveReminder(entry.ReminderName, status).ConfigureAwait(false);
            scheduled.Attempts = 0;
        }
        catch (Exception exception)
        {
            scheduled.Attempts++;
            LogDeliveryFailed(exception, entry.ReminderName, entry.GrainId, scheduled.Attempts);
            if (entry.Period == Timeout.InfiniteTimeSpan && scheduled.Attempts < MaxAttempts && !scheduled.Cancelled)
            {
                Requeue(scheduled, now + TimeSpan.FromSeconds(1 << scheduled.Attempts));
                return;
            }
        }

        if (entry.Period == Timeout.InfiniteTimeSpan)
        {
            bool current;
            lock (_reminders)
            {
                current = _reminders.TryGetValue((entry.GrainId, entry.ReminderName), out var registered) && registered == scheduled;
                if (current)
                {
                    _reminders.Remove((entry.GrainId, entry.ReminderName));
                }
            }

            if (current)
            {
                await _table.RemoveRowAsync(entry.GrainId, entry.ReminderName, entry.ETag).ConfigureAwait(false);
            }

            return;
        }

        if (!scheduled.Cancelled)
        {
            var next = entry.StartAt;
            if (next <= now)
            {
                var periods = ((now - entry.StartAt).Ticks / entry.Period.Ticks) + 1;
                next = entry.StartAt + TimeSpan.FromTicks(periods * entry.Period.Ticks);
            }

            Requeue(scheduled, next);
        }
    }

    private void Requeue(Scheduled scheduled, DateTime at)
    {
        lock (_reminders)
        {
            if (scheduled.Cancelled)
            {
                return;
            }

            _queue.Enqueue(scheduled, at);
        }

        ArmTimer();
    }

    [LoggerMessage(2, LogLevel.Warning, "Reminders could not be reloaded after a membership change")]
    private partial void LogReloadFailed(Exception exception);

    [LoggerMessage(1, LogLevel.Warning, "Reminder {ReminderName} of {GrainId} could not be delivered (attempt {Attempt})")]
    private partial void LogDeliveryFailed(Exception exception, string reminderName, GrainId grainId, int attempt);

    private sealed class Scheduled(ReminderEntry entry, DateTime due)
    {
        public ReminderEntry Entry { get; } = entry;

        public DateTime FirstDue { get; } = due;

        public bool Cancelled { get; set; }

        public int Attempts { get; set; }
    }

    private sealed record GrainReminder(string ReminderName) : IGrainReminder;
}
