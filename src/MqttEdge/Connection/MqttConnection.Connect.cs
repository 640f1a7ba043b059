using System.Text;
using Bifro.Grains;
using Bifro.MqttEdge.Cluster;
using Bifro.MqttEdge.Codec;
using Bifro.MqttEdge.Codec.Framing;
using Bifro.MqttEdge.Codec.Packets;
using Bifro.MqttEdge.Delivery;

namespace Bifro.MqttEdge.Connection;

/// <summary>CONNECT: validate, take the session, answer CONNACK (ARCHITECTURE.md, flow 1).</summary>
internal sealed partial class MqttConnection
{
    // Set from the auth result once CONNECT is authenticated.
    private string _tenant = Grains.SessionKey.DefaultTenant;
    private bool _persistent;
    private bool _requestProblemInformation = true;
    private int _clientReceiveMaximum = 65_535;
    private uint _clientMaximumPacketSize = 268_435_455;
    private ushort _clientTopicAliasMaximum;
    private uint _sessionExpiryInterval;
    private ISessionGrain? _session;

    private ValueTask<bool> HandleConnect(in Frame frame)
    {
        ConnectPacket? connect;
        DecodeError error;
        using (var body = FrameReader.GetBody(frame))
        {
            if (!ConnectPacket.TryRead(frame.Flags, body.Span, out connect, out error))
            {
                ConnectPacket.TryPeekVersion(body.Span, out var peeked);
                return new ValueTask<bool>(RefuseMalformedConnect(error, peeked));
            }
        }

        return Diagnostics.EdgeInstrumentation.ActivitySource.HasListeners() ? TracedConnectAsync(connect!) : ConnectAsync(connect!);
    }

    private bool RefuseMalformedConnect(in DecodeError error, ProtocolVersion peeked)
    {
        LogProtocolViolation(_edge.Logger, error.Statement, error.Message, RemoteEndPoint);
        var refusal = RefusalTypeOf(error);
        if (error.ReasonCode == ReasonCode.UnsupportedProtocolVersion)
        {
            // [MQTT-3.1.2-2] Unacceptable protocol level: 3.1.1 CONNACK 0x01, or 5.0 CONNACK 0x84.
            var version = peeked == ProtocolVersion.Mqtt500 ? ProtocolVersion.Mqtt500 : ProtocolVersion.Mqtt311;
            RefuseConnect(refusal, version, ReasonCode.UnsupportedProtocolVersion, null, statement: error.Statement, reasonForEvent: error.Message);
            return false;
        }

        // [MQTT-4.13.1-1] A malformed CONNECT may be answered with CONNACK 0x81/0x82 (5.0) before closing; 3.x just closes.
        if (peeked == ProtocolVersion.Mqtt500)
        {
            RefuseConnect(refusal, ProtocolVersion.Mqtt500, error.ReasonCode, error.Message, statement: error.Statement);
        }
        else
        {
            ReportRefused(refusal, null, error.Message, error.Statement);
            Close(null, null, DetachReason.Abnormal);
        }

        return false;
    }

    private async ValueTask<bool> ConnectAsync(ConnectPacket connect)
    {
        _version = connect.Version;
        _phase = ConnectionPhase.Connecting;
        _connectClientId = connect.ClientId.Length == 0 ? null : connect.ClientId;
        _connectUserName = connect.UserName;
        var options = _edge.Options;
        var v5 = _version == ProtocolVersion.Mqtt500;
        _requestProblemInformation = connect.RequestProblemInformation ?? true;

        if (_edge.Stopping)
        {
            RefuseConnect(EventType.ServerUnavailable, _version, ReasonCode.ServerUnavailable, "The server is shutting down.");
            return false;
        }

        // Client identifier [MQTT-3.1.3-5..8].
        var clientId = connect.ClientId;
        string? assignedClientId = null;
        if (clientId.Length == 0)
        {
            if (v5)
            {
                assignedClientId = "bifro-" + Guid.NewGuid().ToString("N");
                clientId = assignedClientId;
            }
            else if (!connect.CleanStart || _version == ProtocolVersion.Mqtt310)
            {
                // 3.1.1 accepts an empty id only with clean session [MQTT-3.1.3-8]; 3.1 never.
                RefuseConnect(EventType.IdentifierRejected, _version, ReasonCode.ClientIdentifierNotValid, null, statement: "MQTT-3.1.3-8", reasonForEvent: "An empty client identifier without clean session.");
                return false;
            }
            else
            {
                clientId = "bifro-" + Guid.NewGuid().ToString("N");
            }
        }

        if (clientId.Length > options.MaxClientIdLength)
        {
            RefuseConnect(EventType.IdentifierRejected, _version, ReasonCode.ClientIdentifierNotValid, $"Client identifiers are limited to {options.MaxClientIdLength} characters.");
            return false;
        }

        if (connect.Will is { } will)
        {
            if (will.Retain && !options.RetainAvailable)
            {
                RefuseConnect(EventType.ProtocolError, _version, ReasonCode.RetainNotSupported, "Retained messages are not available.");
                return false;
            }

            if (will.QoS > options.MaximumQoS)
            {
                RefuseConnect(EventType.ProtocolError, _version, ReasonCode.QoSNotSupported, $"The maximum QoS is {(int)options.MaximumQoS}.");
                return false;
            }
        }

        // Session expiry: 5.0 says, clamped to our maximum; 3.x clean session 0 means a persistent session.
        var requestedExpiry = v5 ? connect.SessionExpiryInterval ?? 0 : connect.CleanStart ? 0u : options.MaxSessionExpiryInterval;
        _sessionExpiryInterval = Math.Min(requestedExpiry, options.MaxSessionExpiryInterval);

        var keepAlive = v5 && options.ServerKeepAlive > 0 ? options.ServerKeepAlive : connect.KeepAlive;
        _keepAliveMilliseconds = keepAlive * 1500; // [MQTT-3.1.2-24] one and a half times the keep alive.
        if (v5)
        {
            _clientReceiveMaximum = connect.ReceiveMaximum ?? 65_535;
            _clientMaximumPacketSize = connect.MaximumPacketSize ?? 268_435_455;
            _clientTopicAliasMaximum = connect.TopicAliasMaximum ?? 0;
        }
        else
        {
            _clientReceiveMaximum = options.MaxInflightOutbound;
        }

        // The deny list, before the auth provider is asked anything (ARCHITECTURE.md, flow 1): the bans that
        // apply to every tenant, by client id, CONNECT user name, address or prefix. A tenant's own bans are
        // checked once authentication has named the tenant.
        if (await FindBanAsync(DenyListScopes.Cluster, clientId, connect.UserName).ConfigureAwait(false) is { } ban)
        {
            await RefuseBannedAsync(ban).ConfigureAwait(false);
            return false;
        }

        return await AuthenticateConnectAsync(new PendingConnect(connect, clientId, assignedClientId, requestedExpiry)).ConfigureAwait(false);
    }

    /// <summary>
    /// The ban in force in <paramref name="scope"/> that matches this client, from the node's replica (no grain
    /// call once the list is loaded). A list that cannot be loaded within the grain call timeout lets the client
    /// through: the deny list only ever refuses, and authentication still runs.
    /// </summary>
    private async ValueTask<BanEntry?> FindBanAsync(string scope, string clientId, string? user)
    {
        var replica = _edge.DenyList;
        if (!replica.IsLoaded(scope))
        {
            try
            {
                await replica.LoadAsync(scope).WaitAsync(_edge.Options.GrainCallTimeout).ConfigureAwait(false);
            }
            catch (Exception exception)
            {
                LogDenyListUnavailable(_edge.Logger, exception, scope);
                return null;
            }
        }

        return replica.Find(scope, clientId, user, RemoteAddress);
    }

    /// <summary>A banned client: after the failed-connect delay, CONNACK 0x8A (3.x: 5), and close.</summary>
    private async Task RefuseBannedAsync(BanEntry ban)
    {
        LogBanned(_edge.Logger, _connectClientId, RemoteEndPoint, ban.ToString());
        await DelayFailedConnectAsync().ConfigureAwait(false);
        RefuseConnect(EventType.Banned, _version, ReasonCode.Banned, "Banned.", reasonForEvent: ban.Reason, banId: ban.Id);
    }

    /// <summary>The client's IP address and port (after the PROXY protocol); null for a transport without one.</summary>
    private System.Net.IPEndPoint? RemoteIPEndPoint => RemoteEndPoint as System.Net.IPEndPoint;

    /// <summary>The client's IP address (after the PROXY protocol).</summary>
    private System.Net.IPAddress? RemoteAddress => RemoteIPEndPoint?.Address;

    /// <summary>
    /// Authenticated: the tenant from the auth result, permission to connect (and to publish the will, which
    /// could otherwise go where the client may not publish), then the session and CONNACK.
    /// </summary>
    private async ValueTask<bool> CompleteConnectAsync(PendingConnect pending, AuthResult authenticated)
    {
        var connect = pending.Connect;
        var clientId = pending.ClientId;
        var assignedClientId = pending.AssignedClientId;
        var requestedExpiry = pending.RequestedExpiry;
        var options = _edge.Options;
        var v5 = _version == ProtocolVersion.Mqtt500;
        lock (_sync)
        {
            if (_phase == ConnectionPhase.Authenticating)
            {
                _phase = ConnectionPhase.Connecting;
            }
        }

        // The tenant scopes the session, its routes, inbox and retained messages: one tenant never sees another's.
        _tenant = authenticated.TenantId!;
        _client = CreateClientInfo(_tenant, authenticated.UserId!, clientId, authenticated.Attributes);
        _decisions = new DecisionCache(_edge.AuthOptions.DecisionCacheTtl, _edge.AuthOptions.DecisionCacheSize, _edge.Time);

        // The tenant's own deny list, now that the tenant is known: by client id, user, address or prefix.
        if (await FindBanAsync(_tenant, clientId, authenticated.UserId).ConfigureAwait(false) is { } tenantBan)
        {
            await RefuseBannedAsync(tenantBan).ConfigureAwait(false);
            return false;
        }

        var sessionKey = Grains.SessionKey.Create(_tenant, clientId);
        SessionKey = sessionKey;
        if (_edge.Connections.Find(sessionKey) is { IsClosed: true } previous)
        {
            // The session's previous connection on this edge is closing (its client sent DISCONNECT, or the network
            // went away) but has not detached yet: it may still be writing to its client for up to a second. Let it
            // finish first, so that the session learns how that connection ended; attaching now would take it over
            // as if it were open, publishing the will that its DISCONNECT 0x00 discarded [MQTT-3.14.4-3].
            try
            {
                await previous.Finished.WaitAsync(options.GrainCallTimeout).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                // Its detach is stuck; take the session over as before.
            }
        }

        // Tenant limits: settings, connect rate, the will, session expiry and the receive window.
        if (!await ApplyTenantSettingsAsync(connect).ConfigureAwait(false))
        {
            return false;
        }

        _session = _edge.GrainFactory.GetGrain<ISessionGrain>(sessionKey);

        MqttAction[] actions = connect.Will is { } requestedWill
            ? [MqttAction.Connect(), MqttAction.Publish(requestedWill.Topic, (byte)requestedWill.QoS, requestedWill.Retain)]
            : [MqttAction.Connect()];
        var decisions = await CheckPermissionsAsync(actions, useCache: false).ConfigureAwait(false);
        for (var i = 0; i < decisions.Length; i++)
        {
            if (!decisions[i].IsGranted)
            {
                LogConnectNotAuthorized(_edge.Logger, sessionKey, RemoteEndPoint, $"{actions[i]}: {decisions[i].Decision} {decisions[i].Reason}");
                _session = null;
                await DelayFailedConnectAsync().ConfigureAwait(false);

                // Denied: 0x87 (3.x: 5); the provider could not decide: 0x80 (3.x: 3), as BifroMQ answers.
                var code = decisions[i].Decision == CheckDecision.Denied ? ReasonCode.NotAuthorized : ReasonCode.UnspecifiedError;
                RefuseConnect(
                    code == ReasonCode.NotAuthorized ? EventType.NotAuthorized : EventType.AuthError,
                    _version,
                    code,
                    i == 0 ? "Not authorized to connect." : "Not authorized to publish the will message.",
                    reasonForEvent: $"{actions[i]}: {decisions[i].Reason}");
                return false;
            }
        }

        // MaxConnections holds across the cluster: a slot in the tenant's usage grain, taken last so that refused
        // CONNECTs never hold one.
        if (!await AcquireTenantSlotAsync().ConfigureAwait(false))
        {
            _session = null;
            return false;
        }

        SessionAttachResult attached;
        try
        {
            _will = connect.Will is { } w ? ToWill(w) : null;
            var request = new SessionAttachRequest
            {
                Connection = _edge.EdgeObserver,
                Node = _edge.Node.Id,
                CleanStart = connect.CleanStart,
                SessionExpiryInterval = _sessionExpiryInterval,
                Will = _will,
                ProtocolVersion = (byte)_version,
                UserId = authenticated.UserId,
                RemoteAddress = RemoteEndPoint?.ToString(),
            };

            // A silo that crashed holds the session until the cluster declares it dead: wait that out
            // (within the grain call timeout) rather than refuse the client.
            (_routes, attached) = await SiloFailover.RetryAsync(
                static async state =>
                {
                    var (connection, request) = state;
                    var routes = await connection._edge.Routes.GetAsync(connection._tenant).ConfigureAwait(false);
                    return (routes, await connection._session!.AttachAsync(request).ConfigureAwait(false));
                },
                (this, request),
                options.GrainCallTimeout,
                _edge.Time).WaitAsync(options.GrainCallTimeout + options.GrainCallTimeout).ConfigureAwait(false);
        }
        catch (Exception exception)
        {
            LogAttachFailed(_edge.Logger, exception, sessionKey);
            _session = null;
            RefuseConnect(EventType.ServerUnavailable, _version, ReasonCode.ServerUnavailable, "The session could not be attached.", reasonForEvent: exception.Message);
            return false;
        }

        Epoch = attached.Epoch;
        _persistent = attached.Persistent;
        _subscriptions = attached.Subscriptions;

        // Bound only now, with its epoch: deliveries and kicks find this connection by session key and epoch.
        _edge.Connections.Bind(sessionKey, this);
        RestoreInboundQoS2(attached.PendingInboundQoS2);

        var connAck = new ConnAckPacket
        {
            SessionPresent = attached.SessionPresent,
            ReasonCode = ReasonCode.Success,
        };
        if (v5)
        {
            connAck = new ConnAckPacket
            {
                SessionPresent = attached.SessionPresent,
                ReasonCode = ReasonCode.Success,
                ReceiveMaximum = _receiveMaximum == 65_535 ? null : _receiveMaximum,
                MaximumQoS = options.MaximumQoS == QualityOfService.ExactlyOnce ? null : options.MaximumQoS,
                RetainAvailable = _retainAvailable ? null : false,
                MaximumPacketSize = (uint)options.MaxPacketSize,
                AssignedClientIdentifier = assignedClientId,
                TopicAliasMaximum = options.TopicAliasMaximum == 0 ? null : options.TopicAliasMaximum,
                WildcardSubscriptionAvailable = options.WildcardSubscriptionAvailable ? null : false,
                SubscriptionIdentifiersAvailable = options.SubscriptionIdentifiersAvailable ? null : false,
                SharedSubscriptionAvailable = options.SharedSubscriptionAvailable ? null : false,
                ServerKeepAlive = options.ServerKeepAlive > 0 ? options.ServerKeepAlive : null,
                SessionExpiryInterval = requestedExpiry != _sessionExpiryInterval ? _sessionExpiryInterval : null,

                // [MQTT-4.12.0-5/6] Enhanced authentication ends with CONNACK naming the method, and the provider's final data.
                AuthenticationMethod = _authMethod,
                AuthenticationData = _authMethod is null ? null : authenticated.AuthenticationData,
                UserProperties = ToUserProperties(authenticated.UserProperties),
            };
        }

        lock (_sync)
        {
            if (_phase >= ConnectionPhase.Closing)
            {
                // Kicked while attaching; cleanup detaches.
                return false;
            }

            _phase = ConnectionPhase.Connected;
            _control.Enqueue(new OutboundEntry { Kind = OutboundKind.Packet, Packet = connAck });
            StartDrainLocked();
        }

        _self = _routes.Find(sessionKey);
        LogConnected(_edge.Logger, sessionKey, _version, attached.SessionPresent, _persistent, RemoteEndPoint, _listener.ListenerName);
        ReportConnected(connect.CleanStart, attached.SessionPresent, _keepAliveMilliseconds / 1500, connect.Will);
        if (_persistent)
        {
            // Queued and unacknowledged messages follow CONNACK, in order.
            try
            {
                await SiloFailover.RetryAsync(
                    static async connection =>
                    {
                        await connection.Inbox.AttachAsync(connection.InboxConsumerReference, connection.Epoch, connection._clientReceiveMaximum).ConfigureAwait(false);
                        return true;
                    },
                    this,
                    options.GrainCallTimeout,
                    _edge.Time).WaitAsync(options.GrainCallTimeout + options.GrainCallTimeout).ConfigureAwait(false);
            }
            catch (Exception exception)
            {
                LogAttachFailed(_edge.Logger, exception, sessionKey);
                SetCloseCause(EventType.ByServer, ReasonCode.ImplementationSpecificError, "The session's inbox could not be attached.");
                Close(ReasonCode.ImplementationSpecificError, "The session's inbox could not be attached.", DetachReason.Abnormal);
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// Answers CONNECT with a failure and closes [MQTT-3.2.2-5/6], reporting the refusal as <paramref name="refusal"/>
    /// (with <paramref name="reasonForEvent"/> when the client is told less than operators should know), or not at
    /// all when it is null: the caller reported an event of its own (a tenant limit).
    /// </summary>
    private void RefuseConnect(
        EventType? refusal,
        ProtocolVersion version,
        ReasonCode code,
        string? reasonString,
        List<Codec.Properties.UserProperty>? userProperties = null,
        string? statement = null,
        string? reasonForEvent = null,
        string? banId = null)
    {
        LogConnectRefused(_edge.Logger, code, RemoteEndPoint);
        lock (_sync)
        {
            if (_phase >= ConnectionPhase.Closing)
            {
                return;
            }

            _version = version;
            _phase = ConnectionPhase.Closing;
            _control.Enqueue(new OutboundEntry
            {
                Kind = OutboundKind.Packet,
                Packet = new ConnAckPacket
                {
                    ReasonCode = code,
                    ReasonString = version == ProtocolVersion.Mqtt500 ? reasonString : null,
                    UserProperties = version == ProtocolVersion.Mqtt500 ? userProperties : null,
                },
            });
            StartDrainLocked();
        }

        if (refusal is { } type)
        {
            ReportRefused(type, code, reasonForEvent ?? reasonString, statement, banId);
        }
        _input.CancelPendingRead();
    }

    private static Grains.WillMessage ToWill(Codec.Packets.WillMessage will) => new()
    {
        DelayIntervalSeconds = will.WillDelayInterval ?? 0,
        MessageExpiryIntervalSeconds = will.MessageExpiryInterval,
        Message = new MqttMessage
        {
            Topic = will.Topic,
            Payload = will.Payload,
            QoS = (byte)will.QoS,
            Retain = will.Retain,
            PayloadFormatIndicator = will.PayloadFormatIndicator,
            ContentType = will.ContentType,
            ResponseTopic = will.ResponseTopic,
            CorrelationData = will.CorrelationData,
            UserProperties = will.UserProperties is { Count: > 0 } properties ? Codec.Properties.UserPropertyEncoding.Encode(properties) : null,
        },
    };
}
