using Bifro.Runtime;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Bifro.Grains.Session;

/// <summary>
/// One MQTT session. The connection that owns it is kept in memory (an observer reference); a new
/// connection takes it over and the old one is kicked. Persistent sessions (expiry interval above 0)
/// store their state and are delivered to through their inbox; transient ones live in memory and end
/// with their connection. Expiry and delayed wills are one-shot reminders, so they survive restarts.
/// </summary>
internal sealed partial class SessionGrain : Grain, ISessionGrain
{
    internal const string WillReminder = "will";
    internal const string ExpiryReminder = "expire";

    // An expiry interval of 0xFFFFFFFF means the session never expires [MQTT-3.1.2-?, 5.0 §3.1.2.11.2].
    private const uint NeverExpires = uint.MaxValue;

    private readonly IPersistentState<SessionState> _state;
    private readonly IMessagePublisher _publisher;
    private readonly IEventReporter _events;
    private readonly ShardingOptions _sharding;
    private readonly TimeProvider _time;
    private readonly ILogger<SessionGrain> _logger;
    private IConnectionObserver? _owner;
    private string? _ownerNode;
    private WillMessage? _will;
    private string? _remoteAddress;

    public SessionGrain(
        [PersistentState("session")] IPersistentState<SessionState> state,
        IMessagePublisher publisher,
        IOptions<ShardingOptions> sharding,
        TimeProvider time,
        ILogger<SessionGrain> logger,
        IEventReporter? events = null)
    {
        _state = state;
        _publisher = publisher;
        _events = events ?? NullEventReporter.Instance;
        _sharding = sharding.Value;
        _time = time;
        _logger = logger;
    }

    private string Key => this.GetPrimaryKeyString();

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        // Where a session lives moves with membership; this says where it came back.
        LogActivated(Key);
        return Task.CompletedTask;
    }

    private string Tenant => SessionKey.TenantOf(Key);

    private SessionState S => _state.State;

    /// <summary>A session exists while connected, or while stored after its connection closed.</summary>
    private bool Exists => _owner is not null || (_state.RecordExists && S.Persistent);

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        if (_owner is not null && MovedOrStopping(reason))
        {
            // The owner lives on; its next call would find an activation that does not know it.
            _ = _owner.SessionMovedAsync(Key, S.Epoch);
        }

        return Task.CompletedTask;
    }

    public async Task<SessionAttachResult> AttachAsync(SessionAttachRequest request)
    {
        var existed = Exists;
        if (_owner is not null)
        {
            // [MQTT-3.1.4-3] The older connection is closed; 5.0 clients are told why (0x8E).
            _ = _owner.KickAsync(Key, S.Epoch, 0x8E, request.RemoteAddress is { } address ? $"Session taken over by a connection from {address}." : "Session taken over.");
            LogTakenOver(Key, S.Epoch);
            var oldWill = _will;
            _will = null;

            // The old connection's will is sent if its session ends now (clean start, or an expiry of 0,
            // which ends the session with its connection [MQTT-3.1.2-23]) or its delay is 0: a session's end
            // publishes its will whatever the delay [MQTT-3.1.3-9]. Otherwise the new connection resumes the
            // session within the delay and the will is not sent.
            if (oldWill is not null && (request.CleanStart || !S.Persistent || oldWill.DelayIntervalSeconds == 0))
            {
                await PublishWillAsync(oldWill).ConfigureAwait(true);
            }

            _owner = null;
            if (!S.Persistent)
            {
                // A session with expiry 0 ends with its network connection [MQTT-3.1.2-23], which the takeover
                // closes [MQTT-3.1.4-3]: there is nothing left to resume, Clean Start or not. (Its client may
                // also have sent DISCONNECT already, with its connection not yet detached.)
                await DiscardSessionStateAsync(hadInbox: false).ConfigureAwait(true);
                ReportSession(EventType.SessionStopped, "taken-over");
                existed = false;
            }
        }

        var resumedPersistent = existed && S.Persistent && !request.CleanStart;
        await CancelRemindersAsync().ConfigureAwait(true);
        if (S.PendingWill is { } pending)
        {
            // A new connection before the delay passed cancels the will, unless it starts clean,
            // which ends the session, and a session's end publishes its will.
            S.PendingWill = null;
            if (request.CleanStart)
            {
                await PublishWillAsync(pending).ConfigureAwait(true);
            }
        }

        if (request.CleanStart && existed)
        {
            await DiscardSessionStateAsync(S.Persistent).ConfigureAwait(true);
            ReportSession(EventType.SessionStopped, "clean-start");
            existed = false;
        }

        S.Epoch = NextEpoch();
        S.SessionExpiryInterval = request.SessionExpiryInterval;
        S.Persistent = request.SessionExpiryInterval > 0 || resumedPersistent;
        S.ProtocolVersion = request.ProtocolVersion;
        S.UserId = request.UserId;
        S.DisconnectedAtUtcTicks = 0;
        _owner = request.Connection;
        _ownerNode = request.Node;
        _will = request.Will;
        _remoteAddress = AddressOf(request.RemoteAddress);

        if (S.Subscriptions.Count > 0)
        {
            await UpsertRoutesAsync().ConfigureAwait(true);
        }

        if (S.Persistent)
        {
            await _state.WriteStateAsync().ConfigureAwait(true);
        }

        if (!existed)
        {
            ReportSession(EventType.SessionStarted, null);
        }

        // A connected session stays active whatever the idle collector thinks.
        DelayDeactivation(TimeSpan.MaxValue);
        return new SessionAttachResult
        {
            SessionPresent = existed && !request.CleanStart,
            Epoch = S.Epoch,
            Subscriptions = S.Subscriptions.ToArray(),
            PendingInboundQoS2 = existed ? S.PendingInboundQoS2 : [],
            Persistent = S.Persistent,
        };
    }

    public async Task DetachAsync(SessionDetachRequest request)
    {
        if (_owner is null || request.Epoch != S.Epoch)
        {
            // A connection that was taken over: its successor owns the session now.
            return;
        }

        _owner = null;
        _ownerNode = null;
        var will = request.Reason is DetachReason.NormalWithWill or DetachReason.Abnormal ? _will : null;
        _will = null;
        var expiry = request.SessionExpiryInterval ?? S.SessionExpiryInterval;
        DelayDeactivation(TimeSpan.Zero);

        if (expiry == 0)
        {
            if (will is not null)
            {
                await PublishWillAsync(will).ConfigureAwait(true);
            }

            await EndSessionAsync("disconnected").ConfigureAwait(true);
            return;
        }

        S.SessionExpiryInterval = expiry;
        S.DisconnectedAtUtcTicks = _time.GetUtcNow().UtcTicks;
        S.PendingInboundQoS2 = request.PendingInboundQoS2;
        if (will is not null)
        {
            if (will.DelayIntervalSeconds == 0)
            {
                await PublishWillAsync(will).ConfigureAwait(true);
            }
            else
            {
                // [MQTT-3.1.3-9] Due after the delay, or at session end if that comes first. At session end the
                // expiry reminder publishes it in the turn that ends the session: a will reminder due at the same
                // time would publish it in a turn of its own, and a client that reconnects on seeing the will
                // could still find the session there.
                S.PendingWill = will;
                if (will.DelayIntervalSeconds < expiry)
                {
                    await this.RegisterOrUpdateReminder(WillReminder, TimeSpan.FromSeconds(will.DelayIntervalSeconds), Timeout.InfiniteTimeSpan).ConfigureAwait(true);
                }
            }
        }

        if (expiry != NeverExpires)
        {
            await this.RegisterOrUpdateReminder(ExpiryReminder, TimeSpan.FromSeconds(expiry), Timeout.InfiniteTimeSpan).ConfigureAwait(true);
        }

        await _state.WriteStateAsync().ConfigureAwait(true);
    }

    public async Task<SubscribeResult> SubscribeAsync(long epoch, Subscription[] subscriptions)
    {
        if (_owner is null || epoch != S.Epoch)
        {
            return new SubscribeResult { Accepted = false };
        }

        var existed = new bool[subscriptions.Length];
        for (var i = 0; i < subscriptions.Length; i++)
        {
            var index = S.Subscriptions.FindIndex(s => s.SameFilter(subscriptions[i]));
            existed[i] = index >= 0;
            if (index >= 0)
            {
                // [MQTT-3.8.4-3] A subscription to an existing filter replaces it.
                S.Subscriptions[index] = subscriptions[i];
            }
            else
            {
                S.Subscriptions.Add(subscriptions[i]);
            }
        }

        var route = await UpsertRoutesAsync().ConfigureAwait(true);
        if (S.Persistent)
        {
            await _state.WriteStateAsync().ConfigureAwait(true);
        }

        return new SubscribeResult { Accepted = true, Existed = existed, Route = route };
    }

    public async Task<SubscribeResult> UnsubscribeAsync(long epoch, string[] clientFilters)
    {
        if (_owner is null || epoch != S.Epoch)
        {
            return new SubscribeResult { Accepted = false };
        }

        var existed = new bool[clientFilters.Length];
        for (var i = 0; i < clientFilters.Length; i++)
        {
            existed[i] = S.Subscriptions.RemoveAll(s => string.Equals(s.ClientFilter, clientFilters[i], StringComparison.Ordinal)) > 0;
        }

        SessionRoute? route = null;
        if (S.Subscriptions.Count > 0)
        {
            route = await UpsertRoutesAsync().ConfigureAwait(true);
        }
        else
        {
            await RemoveRoutesAsync().ConfigureAwait(true);
            route = new SessionRoute { SessionKey = Key, Revision = S.Revision };
        }

        if (S.Persistent)
        {
            await _state.WriteStateAsync().ConfigureAwait(true);
        }

        return new SubscribeResult { Accepted = true, Existed = existed, Route = route };
    }

    /// <summary>
    /// Reached only when no authorization filter answered the call (a host without AddMqttAuthorization):
    /// everything is denied, so that a missing filter fails closed.
    /// </summary>
    public Task<CheckResult[]> AuthorizeAsync(MqttAction[] actions)
    {
        var results = new CheckResult[actions.Length];
        Array.Fill(results, CheckResult.Error("No authorization filter is installed."));
        return Task.FromResult(results);
    }

    public Task<SessionInfo> GetInfoAsync() => Task.FromResult(new SessionInfo
    {
        Exists = Exists,
        Connected = _owner is not null,
        Persistent = S.Persistent,
        Subscriptions = S.Subscriptions.ToArray(),
        SessionExpiryInterval = S.SessionExpiryInterval,
        Node = _ownerNode,
        Epoch = S.Epoch,
        WillPending = S.PendingWill is not null,
        ProtocolVersion = S.ProtocolVersion,
        UserId = S.UserId,
    });

    public async Task ExpireAsync()
    {
        if (_owner is not null)
        {
            _ = _owner.KickAsync(Key, S.Epoch, 0x98, "Session expired by an administrator.");
            _owner = null;
        }

        if (S.PendingWill is { } will)
        {
            await PublishWillAsync(will).ConfigureAwait(true);
        }

        await EndSessionAsync("administrator").ConfigureAwait(true);
    }

    public Task<bool> KickAsync(byte reasonCode, string? reasonString)
    {
        if (_owner is null)
        {
            return Task.FromResult(false);
        }

        // The connection closes and detaches as after any abnormal loss: the will and the expiry follow.
        _ = _owner.KickAsync(Key, S.Epoch, reasonCode, reasonString);
        LogKicked(Key, reasonCode);
        return Task.FromResult(true);
    }

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (_owner is not null)
        {
            // A connection resumed the session after the reminder was due; nothing to do.
            return;
        }

        switch (reminderName)
        {
            case WillReminder when S.PendingWill is { } will:
                S.PendingWill = null;
                await PublishWillAsync(will).ConfigureAwait(true);
                if (_state.RecordExists)
                {
                    await _state.WriteStateAsync().ConfigureAwait(true);
                }

                break;
            case ExpiryReminder:
                var expiresAt = S.DisconnectedAtUtcTicks + TimeSpan.FromSeconds(S.SessionExpiryInterval).Ticks;
                if (S.DisconnectedAtUtcTicks == 0 || _time.GetUtcNow().UtcTicks + TimeSpan.TicksPerSecond < expiresAt)
                {
                    return;
                }

                LogExpired(Key);
                if (S.PendingWill is { } pending)
                {
                    S.PendingWill = null;
                    await PublishWillAsync(pending).ConfigureAwait(true);
                }

                await EndSessionAsync("expired").ConfigureAwait(true);
                break;
        }
    }

    private async Task PublishWillAsync(WillMessage will)
    {
        var message = will.Message;
        var now = _time.GetUtcNow().UtcTicks;
        message.PublishedAtUtcTicks = now;
        message.ExpiresAtUtcTicks = will.MessageExpiryIntervalSeconds is { } seconds ? now + TimeSpan.FromSeconds(seconds).Ticks : null;
        try
        {
            await _publisher.PublishAsync(Tenant, message).ConfigureAwait(true);
            LogWillPublished(Key, message.Topic);
            ReportWill(EventType.WillPublished, message, null);
        }
        catch (Exception exception)
        {
            LogWillFailed(exception, Key, message.Topic);
            ReportWill(EventType.WillPublishError, message, exception.Message);
        }
    }

    private async Task EndSessionAsync(string reason)
    {
        await CancelRemindersAsync().ConfigureAwait(true);
        await DiscardSessionStateAsync(S.Persistent).ConfigureAwait(true);
        if (_state.RecordExists)
        {
            await _state.ClearStateAsync().ConfigureAwait(true);
        }

        ReportSession(EventType.SessionStopped, reason);
        DeactivateOnIdle();
    }

    private async Task DiscardSessionStateAsync(bool hadInbox)
    {
        if (S.Subscriptions.Count > 0)
        {
            S.Subscriptions.Clear();
            await RemoveRoutesAsync().ConfigureAwait(true);
        }

        if (hadInbox)
        {
            await GrainFactory.GetGrain<IInboxGrain>(Key).ClearAsync().ConfigureAwait(true);
        }

        S.PendingInboundQoS2 = [];
        S.PendingWill = null;
    }

    private async Task CancelRemindersAsync()
    {
        if (S.DisconnectedAtUtcTicks != 0 || S.PendingWill is not null)
        {
            await this.UnregisterReminder(ExpiryReminder).ConfigureAwait(true);
            await this.UnregisterReminder(WillReminder).ConfigureAwait(true);
        }
    }

    /// <summary>
    /// Epochs follow the clock, not a counter, so that they keep increasing when a transient session's
    /// activation is lost with its silo: a new connection attaching to the new activation must outrank
    /// the old one still reattaching.
    /// </summary>
    private long NextEpoch() => Math.Max(S.Epoch + 1, _time.GetUtcNow().UtcTicks);
}
