using System.Globalization;
using Bifro.Runtime;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Bifro.Grains.Inbox;

/// <summary>
/// A persistent session's queue. Reentrant, so that concurrent enqueues share one storage write (group
/// commit): each call changes memory synchronously, then awaits the write round that covers it.
/// Messages are pushed to the attached connection in sequence order; QoS 1 and 2 messages count
/// against the client's receive window until acknowledged, QoS 0 messages leave the queue when pushed.
/// </summary>
[Reentrant]
internal sealed partial class InboxGrain : Grain, IInboxGrain
{
    private readonly IPersistentCollection<InboxMessage> _items;
    private readonly InboxOptions _options;
    private readonly ISettingProvider? _settings;
    private readonly TimeProvider _time;
    private readonly ILogger<InboxGrain> _logger;
    private readonly IEventReporter _events;
    private readonly SortedDictionary<long, InboxMessage> _queue = new();
    private long _nextSequence = 1;
    private long _dropped;

    // Overflow events: at most one a second per inbox, carrying the drops since the last one.
    private int _unreportedDrops;
    private long _lastOverflowReportTicks;

    // The smaller of Bifro:Mqtt:MaxOfflineMessages and the tenant's SessionInboxSize, as of activation.
    private int _maxMessages;

    private IInboxConsumer? _consumer;
    private long _epoch;
    private int _window;
    private int _inFlight;
    private long _pushedUpTo;

    private bool _committing;
    private TaskCompletionSource? _nextCommit;

    public InboxGrain(
        [PersistentCollection("inbox")] IPersistentCollection<InboxMessage> items,
        IOptions<InboxOptions> options,
        TimeProvider time,
        ILogger<InboxGrain> logger,
        ISettingProvider? settings = null,
        IEventReporter? events = null)
    {
        _events = events ?? NullEventReporter.Instance;
        _items = items;
        _options = options.Value;
        _settings = settings;
        _maxMessages = _options.MaxMessages;
        _time = time;
        _logger = logger;
    }

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (_settings is not null)
        {
            try
            {
                var tenant = await _settings.GetSettingsAsync(SessionKey.TenantOf(this.GetPrimaryKeyString()), cancellationToken).ConfigureAwait(true);
                _maxMessages = Math.Min(_options.MaxMessages, tenant.SessionInboxSize);
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                // The node's own bound still holds; the tenant's is applied at the next activation.
                LogSettingsFailed(exception, this.GetPrimaryKeyString());
            }
        }

        foreach (var item in _items.Items.Values)
        {
            _queue[item.Sequence] = item;
            _nextSequence = Math.Max(_nextSequence, item.Sequence + 1);
        }

        // A sequence names one message for the life of the session, across activations: a connection that
        // reattaches says by sequence what it has received, and what it no longer holds up to there counts as
        // acknowledged. An activation that found nothing stored and counted from 1 again gave the messages
        // enqueued before that reattach sequences the connection had already seen, and they were lost. So the
        // count starts at the clock, past every sequence an earlier activation gave (fewer than one per tick
        // since it started), as session epochs do; that holds while the silos' clocks agree to within the
        // time between the two activations.
        _nextSequence = Math.Max(_nextSequence, _time.GetUtcNow().UtcTicks);

        // Where an inbox lives moves with membership; this says where it came back, and with what.
        LogActivated(this.GetPrimaryKeyString(), _queue.Count);
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        if (_consumer is not null && Session.SessionGrain.MovedOrStopping(reason))
        {
            _ = _consumer.OnInboxMovedAsync(_epoch);
        }

        ReportOverflow(0, force: true);
        return Task.CompletedTask;
    }

    /// <summary>Counts drops, and reports them (with every drop since the last report) at most once a second.</summary>
    private void ReportOverflow(int dropped, bool force = false)
    {
        _unreportedDrops += dropped;
        var now = _time.GetUtcNow().UtcTicks;
        if (_unreportedDrops == 0 || !_events.IsEnabled || (!force && now - _lastOverflowReportTicks < TimeSpan.TicksPerSecond))
        {
            return;
        }

        var key = this.GetPrimaryKeyString();
        _events.Report(new InboxOverflowEvent
        {
            Type = EventType.InboxOverflowed,
            TenantId = SessionKey.TenantOf(key),
            ClientId = SessionKey.ClientIdOf(key),
            Dropped = _unreportedDrops,
            DroppedOldest = true,
            MaxMessages = _maxMessages,
        });
        _unreportedDrops = 0;
        _lastOverflowReportTicks = now;
    }

    public async Task<int> EnqueueAsync(InboxMessage[] messages)
    {
        var dropped = 0;
        foreach (var message in messages)
        {
            message.Sequence = _nextSequence++;
            message.DeliveryState = InboxMessage.Queued;
            _queue[message.Sequence] = message;
            _items.Set(KeyOf(message.Sequence), message);
        }

        while (_queue.Count > _maxMessages)
        {
            // Bounded: the oldest message gives way, and the drop is counted and reported.
            var oldest = _queue.First();
            Forget(oldest.Key);
            dropped++;
        }

        if (dropped > 0)
        {
            _dropped += dropped;
            LogOverflow(this.GetPrimaryKeyString(), dropped, _maxMessages);
            ReportOverflow(dropped);
        }

        await CommitAsync().ConfigureAwait(true);
        Push();
        return dropped;
    }

    public Task AttachAsync(IInboxConsumer consumer, long epoch, int receiveMaximum)
    {
        _consumer = consumer;
        _epoch = epoch;
        _window = Math.Max(1, receiveMaximum);
        _inFlight = 0;
        _pushedUpTo = 0;
        DelayDeactivation(TimeSpan.MaxValue);
        Push();
        return Task.CompletedTask;
    }

    public async Task<bool> ReattachAsync(IInboxConsumer consumer, long epoch, int receiveMaximum, long receivedUpTo, long[] holding)
    {
        if (epoch < _epoch)
        {
            return false;
        }

        if (_consumer is not null && epoch == _epoch)
        {
            return true;
        }

        _consumer = consumer;
        _epoch = epoch;
        _window = Math.Max(1, receiveMaximum);
        _pushedUpTo = receivedUpTo;

        // New messages must not reuse a sequence the connection has seen (it would skip them).
        _nextSequence = Math.Max(_nextSequence, receivedUpTo + 1);
        var held = new HashSet<long>(holding);
        _inFlight = 0;
        List<long>? acknowledged = null;
        foreach (var (sequence, message) in _queue)
        {
            if (sequence > receivedUpTo)
            {
                break;
            }

            if (!held.Contains(sequence))
            {
                (acknowledged ??= new List<long>()).Add(sequence);
            }
            else if (message.QoS > 0)
            {
                _inFlight++;
            }
        }

        foreach (var sequence in acknowledged ?? [])
        {
            Forget(sequence);
        }

        DelayDeactivation(TimeSpan.MaxValue);
        await CommitAsync().ConfigureAwait(true);
        Push();
        return true;
    }

    public Task DetachAsync(long epoch, long receivedUpTo)
    {
        if (epoch == _epoch)
        {
            _consumer = null;
            DelayDeactivation(TimeSpan.Zero);
            foreach (var (sequence, message) in _queue)
            {
                if (sequence > receivedUpTo && message.DeliveryState == InboxMessage.Sent)
                {
                    // Pushed while the connection was closing, which dropped it: never sent. Stored with the next write.
                    message.DeliveryState = InboxMessage.Queued;
                    _items.Set(KeyOf(sequence), message);
                }
            }
        }

        return Task.CompletedTask;
    }

    public async Task AckAsync(long epoch, long[] sequences)
    {
        foreach (var sequence in sequences)
        {
            if (_queue.TryGetValue(sequence, out var message))
            {
                if (epoch == _epoch && sequence <= _pushedUpTo && message.QoS > 0)
                {
                    _inFlight--;
                }

                Forget(sequence);
            }
        }

        Push();
        await CommitAsync().ConfigureAwait(true);
    }

    public async Task ReceivedAsync(long epoch, long[] sequences)
    {
        foreach (var sequence in sequences)
        {
            if (_queue.TryGetValue(sequence, out var message))
            {
                message.DeliveryState = InboxMessage.Received;
                _items.Set(KeyOf(sequence), message);
            }
        }

        await CommitAsync().ConfigureAwait(true);
    }

    public async Task ClearAsync()
    {
        _queue.Clear();
        _items.Clear();
        _consumer = null;
        _inFlight = 0;
        await CommitAsync().ConfigureAwait(true);
        DeactivateOnIdle();
    }

    public Task<InboxInfo> GetInfoAsync() => Task.FromResult(new InboxInfo
    {
        Count = _queue.Count,
        Dropped = _dropped,
        Attached = _consumer is not null,
        InFlight = _inFlight,
    });

    /// <summary>Sends what the connection's window allows: first what was sent before and not acknowledged, then new messages.</summary>
    private void Push()
    {
        if (_consumer is null || _queue.Count == 0)
        {
            return;
        }

        List<InboxMessage>? batch = null;
        List<long>? expired = null;
        var now = _time.GetUtcNow().UtcTicks;
        foreach (var (sequence, message) in _queue)
        {
            if (sequence <= _pushedUpTo)
            {
                continue;
            }

            if (message.QoS > 0 && _inFlight >= _window)
            {
                break;
            }

            if (message.DeliveryState == InboxMessage.Queued && message.Message.IsExpired(now))
            {
                // [MQTT-3.3.2-5] An expired message is not delivered.
                (expired ??= new List<long>()).Add(sequence);
                _pushedUpTo = sequence;
                continue;
            }

            (batch ??= new List<InboxMessage>()).Add(message);
            _pushedUpTo = sequence;
            if (message.QoS > 0)
            {
                _inFlight++;
            }
        }

        foreach (var sequence in expired ?? [])
        {
            Forget(sequence);
        }

        if (batch is null)
        {
            return;
        }

        var send = new InboxMessage[batch.Count];
        for (var i = 0; i < batch.Count; i++)
        {
            var message = batch[i];
            send[i] = message;
            if (message.QoS == 0)
            {
                // At most once: gone from the queue once handed to the connection.
                Forget(message.Sequence);
            }
            else if (message.DeliveryState == InboxMessage.Queued)
            {
                // Later pushes (after a reconnect) resend it with DUP; stored with the next write.
                send[i] = Copy(message);
                message.DeliveryState = InboxMessage.Sent;
                _items.Set(KeyOf(message.Sequence), message);
            }
        }

        _ = _consumer.OnMessagesAsync(_epoch, send);
    }

    /// <summary>Writes pending changes; calls that arrive while a write runs share the next one.</summary>
    private async Task CommitAsync()
    {
        if (!_items.HasPendingChanges)
        {
            return;
        }

        if (_committing)
        {
            await (_nextCommit ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task.ConfigureAwait(true);
            return;
        }

        _committing = true;
        try
        {
            while (true)
            {
                var waiters = _nextCommit;
                _nextCommit = null;
                try
                {
                    await _items.WriteAsync().ConfigureAwait(true);
                }
                catch (Exception exception)
                {
                    waiters?.TrySetException(exception);
                    throw;
                }

                waiters?.TrySetResult();
                if (_nextCommit is null && !_items.HasPendingChanges)
                {
                    return;
                }
            }
        }
        finally
        {
            _committing = false;
        }
    }

    private void Forget(long sequence)
    {
        _queue.Remove(sequence);
        _items.Remove(KeyOf(sequence));
    }

    private static InboxMessage Copy(InboxMessage message) => new()
    {
        Sequence = message.Sequence,
        Message = message.Message,
        QoS = message.QoS,
        RetainFlag = message.RetainFlag,
        SubscriptionIds = message.SubscriptionIds,
        DeliveryState = message.DeliveryState,
    };

    // Fixed-width keys sort like the numbers they hold.
    private static string KeyOf(long sequence) => sequence.ToString("D19", CultureInfo.InvariantCulture);

    [LoggerMessage(1, LogLevel.Information, "Inbox of {SessionKey} full ({Max} messages): dropped the {Count} oldest")]
    private partial void LogOverflow(string sessionKey, int count, int max);

    [LoggerMessage(2, LogLevel.Warning, "The tenant settings for the inbox of {SessionKey} could not be read; Bifro:Mqtt:MaxOfflineMessages bounds it")]
    private partial void LogSettingsFailed(Exception exception, string sessionKey);

    [LoggerMessage(3, LogLevel.Debug, "Inbox of {SessionKey} activated with {Count} stored messages")]
    private partial void LogActivated(string sessionKey, int count);
}
