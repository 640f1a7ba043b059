using System.Text;
using Bifro.Grains;
using Bifro.MqttEdge.Codec.Validation;
using Bifro.MqttEdge.Configuration;
using Bifro.MqttEdge.Delivery;
using Bifro.Runtime;
using Bifro.Runtime.Management;
using Bifro.Runtime.Messaging;
using Bifro.Silo.Configuration;
using Microsoft.Extensions.Options;

namespace Bifro.Silo.Admin;

/// <summary>
/// What the admin API does, apart from HTTP: it checks a request, asks the grains (or the node holding a
/// connection) and answers with a view, or throws <see cref="AdminProblemException"/> for a request it refuses.
/// Every grain call is bounded by Bifro:Admin:RequestTimeout.
/// </summary>
internal sealed partial class AdminService(
    IGrainFactory grains,
    ManagementClient management,
    PublishRouter router,
    ISettingProvider settings,
    IOptions<AdminOptions> adminOptions,
    IOptions<MqttOptions> mqttOptions,
    TimeProvider time)
{
    public const int DefaultLimit = 100;
    public const int MaxLimit = 10_000;

    // SessionGrain's type name ("session"): the class name without "Grain", lower-cased, as Orleans names it.
    private static readonly GrainType SessionGrainType = GrainType.Create("session");

    private readonly TimeSpan _timeout = adminOptions.Value.RequestTimeout;

    /// <summary>Sessions with an activation on any silo (every connected session), optionally of one tenant.</summary>
    public async Task<SessionList> ListSessionsAsync(string? tenant, int? limit)
    {
        if (tenant is not null)
        {
            CheckTenant(tenant);
        }

        var max = CheckLimit(limit);

        // One more than asked for tells whether the list was cut.
        var active = await management.GetActiveGrainKeysAsync(SessionGrainType, tenant is null ? string.Empty : tenant + "/", max + 1, _timeout).ConfigureAwait(false);
        var keys = active.Keys;
        var infos = new SessionInfo?[keys.Count];
        await Parallel.ForEachAsync(
            Enumerable.Range(0, keys.Count),
            new ParallelOptions { MaxDegreeOfParallelism = 16 },
            async (i, _) =>
            {
                try
                {
                    infos[i] = await grains.GetGrain<ISessionGrain>(keys[i]).GetInfoAsync().WaitAsync(_timeout).ConfigureAwait(false);
                }
                catch (Exception exception) when (exception is TimeoutException or SiloUnavailableException or GrainRuntimeException)
                {
                    // A session on a silo that just went away: left out, as its silo would be.
                    infos[i] = null;
                }
            }).ConfigureAwait(false);

        var sessions = new List<SessionSummary>(Math.Min(keys.Count, max));
        for (var i = 0; i < keys.Count && sessions.Count < max; i++)
        {
            if (infos[i] is { Exists: true } info)
            {
                sessions.Add(Summary(keys[i], info));
            }
        }

        return new SessionList(sessions, keys.Count > max, active.UnreachableSilos);
    }

    /// <summary>One session, with its connection as the node holding it sees it.</summary>
    public async Task<SessionDetail> GetSessionAsync(string tenant, string clientId)
    {
        var key = SessionKeyOf(tenant, clientId);
        var info = await Session(key).GetInfoAsync().WaitAsync(_timeout).ConfigureAwait(false);
        if (!info.Exists)
        {
            throw NoSession(tenant, clientId);
        }

        ConnectionDetail? connection = null;
        if (info.Connected && info.Node is { } node)
        {
            try
            {
                connection = await grains.GetGrain<IEdgeAdminTarget>(ObserverRegistry.WellKnownId(node, EdgeAdminTarget.Name))
                    .GetConnectionAsync(key).WaitAsync(_timeout).ConfigureAwait(false);
            }
            catch (Exception exception) when (exception is TimeoutException or SiloUnavailableException or GrainRuntimeException)
            {
                // The session is worth showing without its connection's details.
            }
        }

        var subscriptions = new List<SubscriptionView>(info.Subscriptions.Length);
        foreach (var s in info.Subscriptions)
        {
            subscriptions.Add(new SubscriptionView(s.Filter, s.ShareGroup, s.QoS, s.NoLocal, s.RetainAsPublished, s.RetainHandling, s.SubscriptionId));
        }

        return new SessionDetail(Summary(key, info), subscriptions, connection);
    }

    /// <summary>Ends a session now, as if it expired: its connection, wherever it is, gets DISCONNECT 0x98 (5.0) or is closed.</summary>
    public async Task<KickResult> ExpireSessionAsync(string tenant, string clientId)
    {
        var session = Session(SessionKeyOf(tenant, clientId));
        var info = await session.GetInfoAsync().WaitAsync(_timeout).ConfigureAwait(false);
        if (!info.Exists)
        {
            throw NoSession(tenant, clientId);
        }

        await session.ExpireAsync().WaitAsync(_timeout).ConfigureAwait(false);
        return new KickResult(tenant, clientId, info.Connected, SessionEnded: true);
    }

    /// <summary>Publishes as a client would: retained store, subscribers here, on other nodes and in inboxes.</summary>
    public async Task<PublishResult> PublishAsync(PublishRequest? request)
    {
        if (request is null)
        {
            throw AdminProblemException.BadRequest("The body must be a JSON object with at least \"topic\".");
        }

        var tenant = request.Tenant ?? SessionKey.DefaultTenant;
        CheckTenant(tenant);
        if (string.IsNullOrEmpty(request.Topic))
        {
            throw AdminProblemException.BadRequest("\"topic\" is required.");
        }

        CheckTopicName(request.Topic);
        if (request.QoS > 2)
        {
            throw AdminProblemException.BadRequest($"\"qos\" {request.QoS} must be 0, 1 or 2.");
        }

        if (request.Payload is not null && request.PayloadBase64 is not null)
        {
            throw AdminProblemException.BadRequest("Give \"payload\" (text) or \"payloadBase64\" (bytes), not both.");
        }

        byte[] payload;
        try
        {
            payload = request.PayloadBase64 is { } base64 ? Convert.FromBase64String(base64) : Encoding.UTF8.GetBytes(request.Payload ?? string.Empty);
        }
        catch (FormatException)
        {
            throw AdminProblemException.BadRequest("\"payloadBase64\" is not valid base64.");
        }

        var maxPacketSize = mqttOptions.Value.MaxPacketSize;
        if (payload.Length > maxPacketSize)
        {
            throw AdminProblemException.BadRequest($"The payload ({payload.Length} bytes) exceeds {MqttOptions.SectionName}:MaxPacketSize ({maxPacketSize}).");
        }

        var now = time.GetUtcNow().UtcTicks;
        var message = new MqttMessage
        {
            Topic = request.Topic,
            Payload = payload,
            QoS = request.QoS,
            Retain = request.Retain,
            ContentType = request.ContentType,

            // Text given as text is announced as UTF-8 (5.0 Payload Format Indicator 1).
            PayloadFormatIndicator = request.Payload is not null ? (byte)1 : null,
            PublishedAtUtcTicks = now,
            ExpiresAtUtcTicks = request.MessageExpiryInterval is { } seconds ? now + (seconds * TimeSpan.TicksPerSecond) : null,
        };
        using var timeout = new CancellationTokenSource(_timeout);
        try
        {
            await router.PublishAsync(tenant, message, timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested)
        {
            throw new TimeoutException($"The message was not handed off within {AdminOptions.SectionName}:RequestTimeout ({_timeout}).");
        }

        return new PublishResult(tenant, request.Topic, request.QoS, request.Retain, payload.Length);
    }

    /// <summary>Retained messages whose topic matches <paramref name="filter"/> ("#" by default).</summary>
    public async Task<RetainedList> GetRetainedAsync(string? tenant, string? filter, int? limit)
    {
        tenant ??= SessionKey.DefaultTenant;
        CheckTenant(tenant);
        filter ??= "#";
        CheckTopicFilter(filter);
        var max = CheckLimit(limit);
        var matched = await router.MatchRetainedAsync(tenant, filter, max + 1).WaitAsync(_timeout).ConfigureAwait(false);
        matched.Sort(static (a, b) => string.CompareOrdinal(a.Topic, b.Topic));
        var views = new List<RetainedMessageView>(Math.Min(matched.Count, max));
        for (var i = 0; i < matched.Count && i < max; i++)
        {
            views.Add(View(matched[i]));
        }

        return new RetainedList(tenant, filter, views, matched.Count > max);
    }

    /// <summary>Clears the retained message of one <paramref name="topic"/>, or of every topic matching <paramref name="filter"/>.</summary>
    public async Task<RetainedClearResult> ClearRetainedAsync(string? tenant, string? topic, string? filter, int? limit)
    {
        tenant ??= SessionKey.DefaultTenant;
        CheckTenant(tenant);
        if ((topic is null) == (filter is null))
        {
            throw AdminProblemException.BadRequest("Give \"topic\" (one retained message) or \"filter\" (every match), not both and not neither.");
        }

        List<string> topics;
        if (topic is not null)
        {
            CheckTopicName(topic);
            topics = [topic];
        }
        else
        {
            CheckTopicFilter(filter!);
            var matched = await router.MatchRetainedAsync(tenant, filter!, CheckLimit(limit)).WaitAsync(_timeout).ConfigureAwait(false);
            topics = new List<string>(matched.Count);
            foreach (var message in matched)
            {
                topics.Add(message.Topic);
            }
        }

        var cleared = new List<string>(topics.Count);
        foreach (var t in topics)
        {
            // An empty retained payload clears the topic, as a client's would [MQTT-3.3.1-6].
            var result = await router.StoreRetainedAsync(tenant, new MqttMessage { Topic = t, Payload = [], Retain = true }).WaitAsync(_timeout).ConfigureAwait(false);
            if (result == RetainResult.Cleared)
            {
                cleared.Add(t);
            }
        }

        if (topic is not null && cleared.Count == 0)
        {
            throw AdminProblemException.NotFound($"Tenant '{tenant}' has no retained message on '{topic}'.");
        }

        cleared.Sort(StringComparer.Ordinal);
        return new RetainedClearResult(tenant, cleared.Count, cleared);
    }

    /// <summary>The membership as this node sees it.</summary>
    public ClusterView GetCluster()
    {
        var members = new List<ClusterMemberView>();
        foreach (var member in management.GetMembers())
        {
            members.Add(new ClusterMemberView(member.Address, member.Name, member.Status.ToString(), member.GatewayPort, member.IsLocal));
        }

        return new ClusterView(management.LocalNode, members);
    }

    /// <summary>A tenant's settings (a tenant without its own gets the defaults).</summary>
    public async Task<TenantSettingsView> GetTenantSettingsAsync(string tenant)
    {
        CheckTenant(tenant);
        var values = await settings.GetSettingsAsync(tenant, CancellationToken.None).AsTask().WaitAsync(_timeout).ConfigureAwait(false);
        return new TenantSettingsView(tenant, values);
    }

    internal static void CheckTenant(string tenant)
    {
        if (!AuthProviderGuard.IsValidTenant(tenant))
        {
            throw AdminProblemException.BadRequest($"'{tenant}' is not a tenant id (1 to 256 characters, without '/').");
        }
    }

    internal static int CheckLimit(int? limit) => limit switch
    {
        null => DefaultLimit,
        >= 1 and <= MaxLimit => limit.Value,
        _ => throw AdminProblemException.BadRequest($"\"limit\" {limit} must be between 1 and {MaxLimit}."),
    };

    internal static void CheckTopicName(string topic)
    {
        var bytes = Encoding.UTF8.GetBytes(topic);
        if (bytes.Length > ushort.MaxValue)
        {
            throw AdminProblemException.BadRequest($"The topic is {bytes.Length} bytes long; MQTT allows {ushort.MaxValue}.");
        }

        if (!TopicValidator.TryValidateTopicName(bytes, out var error))
        {
            throw AdminProblemException.BadRequest($"'{topic}' is not a topic name: {error.Message}.");
        }
    }

    internal static void CheckTopicFilter(string filter)
    {
        if (filter.StartsWith("$share/", StringComparison.Ordinal) || !TopicValidator.IsValidTopicFilter(Encoding.UTF8.GetBytes(filter)))
        {
            throw AdminProblemException.BadRequest($"'{filter}' is not a topic filter ('#' only last and alone in its level, '+' a whole level, no shared subscription).");
        }
    }

    private static string SessionKeyOf(string tenant, string clientId)
    {
        CheckTenant(tenant);
        if (string.IsNullOrEmpty(clientId))
        {
            throw AdminProblemException.BadRequest("The client id must not be empty.");
        }

        return SessionKey.Create(tenant, clientId);
    }

    private static AdminProblemException NoSession(string tenant, string clientId) =>
        AdminProblemException.NotFound($"Tenant '{tenant}' has no session for client id '{clientId}'.");

    private ISessionGrain Session(string key) => grains.GetGrain<ISessionGrain>(key);

    private static SessionSummary Summary(string key, SessionInfo info) => new(
        SessionKey.TenantOf(key),
        SessionKey.ClientIdOf(key),
        info.Connected,
        info.Persistent,
        info.Node,
        info.UserId,
        info.ProtocolVersion,
        info.Subscriptions.Length,
        info.SessionExpiryInterval,
        info.WillPending);

    private static RetainedMessageView View(MqttMessage message)
    {
        string? text;
        try
        {
            text = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true).GetString(message.Payload);
        }
        catch (DecoderFallbackException)
        {
            text = null;
        }

        return new RetainedMessageView(
            message.Topic,
            text,
            Convert.ToBase64String(message.Payload),
            message.QoS,
            message.ContentType,
            message.PublishedAtUtcTicks > 0 ? new DateTimeOffset(message.PublishedAtUtcTicks, TimeSpan.Zero) : null,
            message.ExpiresAtUtcTicks is { } expires ? new DateTimeOffset(expires, TimeSpan.Zero) : null);
    }
}
