using Bifro.Grains;
using Bifro.MqttEdge.Codec;
using Bifro.MqttEdge.Delivery;

namespace Bifro.MqttEdge.Connection;

/// <summary>
/// The events a connection reports (issue 5 §1): a CONNECT refused, connected, and exactly one disconnect
/// with its cause; access denied; publish handling; drops of messages for this client. Events are made
/// only on these paths, never per delivered message: drops are counted in place and reported by the
/// heartbeat, publishes only when sampling is on.
/// </summary>
internal sealed partial class MqttConnection
{
    // Drops per (QoS, reason), allocated at the first drop: most connections never drop anything.
    private const int DropReasons = 5;

    [ThreadStatic]
    private static int t_publishesSinceSample;

    private CloseCause? _closeCause;
    private long _connectedAtTicks;
    private int[]? _drops;

    // What CONNECT said, before authentication named the client: for the events of a refused CONNECT.
    private string? _connectClientId;
    private string? _connectUserName;

    /// <summary>Why the connection is closing, as the disconnect event says; the first cause recorded wins.</summary>
    private sealed record CloseCause(EventType Type, byte? ReasonCode, string? Reason, string? Statement, string? Kicker);

    private IEventReporter Events => _edge.Events;

    /// <summary>Records why the connection closes (the first cause wins); reported once it has closed.</summary>
    private void SetCloseCause(EventType type, ReasonCode? code, string? reason, string? statement = null, string? kicker = null)
    {
        if (_closeCause is null && Events.IsEnabled)
        {
            Interlocked.CompareExchange(ref _closeCause, new CloseCause(type, code is { } c ? (byte)c : null, reason, statement, kicker), null);
        }
    }

    /// <summary>A decoding or protocol error's disconnect event type.</summary>
    private static EventType DisconnectTypeOf(in DecodeError error) => error.Field switch
    {
        DecodeField.TopicName when error.ReasonCode == ReasonCode.MalformedPacket => EventType.MalformedTopic,
        DecodeField.TopicFilter when error.ReasonCode == ReasonCode.MalformedPacket => EventType.MalformedTopicFilter,
        _ => error.ReasonCode switch
        {
            ReasonCode.MalformedPacket or ReasonCode.PacketTooLarge => EventType.BadPacket,
            ReasonCode.TopicNameInvalid => EventType.InvalidTopic,
            ReasonCode.TopicFilterInvalid => EventType.InvalidTopicFilter,
            ReasonCode.ReceiveMaximumExceeded => EventType.ExceedReceivingLimit,
            ReasonCode.MessageRateTooHigh => EventType.ExceedPubRate,
            ReasonCode.QuotaExceeded => EventType.ResourceThrottled,
            _ => EventType.ProtocolViolation,
        },
    };

    /// <summary>A malformed CONNECT's refusal event type.</summary>
    private static EventType RefusalTypeOf(in DecodeError error) => error.ReasonCode == ReasonCode.UnsupportedProtocolVersion
        ? EventType.UnacceptedProtocolVersion
        : error.Field switch
        {
            DecodeField.ClientId => EventType.MalformedClientId,
            DecodeField.UserName => EventType.MalformedUsername,
            DecodeField.WillTopic => EventType.MalformedWillTopic,
            _ => EventType.ProtocolError,
        };

    /// <summary>A CONNECT refused before a session existed.</summary>
    private void ReportRefused(EventType type, ReasonCode? code, string? reason, string? statement = null, string? banId = null)
    {
        if (!Events.IsEnabled)
        {
            return;
        }

        var endpoint = RemoteIPEndPoint;
        Events.Report(new ConnectionRefusedEvent
        {
            Type = type,
            TenantId = _client?.TenantId,
            UserId = _client?.UserId,
            ClientId = _client?.ClientId ?? _connectClientId,
            RemoteAddress = endpoint?.Address.ToString(),
            RemotePort = endpoint?.Port ?? 0,
            ReasonCode = code is { } c ? (byte)c : (byte)0,
            Reason = reason,
            Statement = statement,
            ProtocolVersion = _phase == ConnectionPhase.AwaitingConnect ? (byte)0 : (byte)_version,
            Username = _connectUserName,
            BanId = banId,
            ListenerName = _listener.ListenerName,
        });
    }

    /// <summary>A tenant limit (<paramref name="setting"/>, a TenantSettings name) refused what the client asked.</summary>
    private void ReportTenantLimit(string setting, long limit, string reason)
    {
        if (!Events.IsEnabled)
        {
            return;
        }

        var endpoint = RemoteIPEndPoint;
        Events.Report(new TenantResourceEvent
        {
            Type = EventType.OutOfTenantResource,
            TenantId = _tenant,
            UserId = _client?.UserId,
            ClientId = _client?.ClientId ?? _connectClientId,
            RemoteAddress = endpoint?.Address.ToString(),
            RemotePort = endpoint?.Port ?? 0,
            Resource = setting,
            Limit = limit,
            Reason = reason,
        });
    }

    private void ReportConnected(bool cleanStart, bool sessionPresent, int keepAliveSeconds, Codec.Packets.WillMessage? will)
    {
        _connectedAtTicks = Environment.TickCount64;
        if (!Events.IsEnabled)
        {
            return;
        }

        var client = _client!;
        Events.Report(new ClientConnectedEvent
        {
            Type = EventType.ClientConnected,
            TenantId = client.TenantId,
            UserId = client.UserId,
            ClientId = client.ClientId,
            RemoteAddress = client.RemoteAddress,
            RemotePort = client.RemotePort,
            ProtocolVersion = (byte)_version,
            KeepAliveSeconds = keepAliveSeconds,
            CleanStart = cleanStart,
            SessionPresent = sessionPresent,
            Persistent = _persistent,
            SessionExpiryInterval = _sessionExpiryInterval,
            ListenerName = client.ListenerName,
            WillTopic = will?.Topic,
            WillQoS = will is null ? (byte)0 : (byte)will.QoS,
            WillRetain = will?.Retain ?? false,
        });
    }

    /// <summary>At cleanup: the one disconnect event of a connection that was connected.</summary>
    private void ReportDisconnected()
    {
        if (_connectedAtTicks == 0 || _client is not { } client)
        {
            return;
        }

        FlushDrops();
        if (!Events.IsEnabled)
        {
            return;
        }

        var cause = _closeCause ?? new CloseCause(
            _detachReason is DetachReason.Normal or DetachReason.NormalWithWill ? EventType.ByClient : EventType.ConnectionLost, null, null, null, null);
        Events.Report(new ClientDisconnectedEvent
        {
            Type = cause.Type,
            TenantId = client.TenantId,
            UserId = client.UserId,
            ClientId = client.ClientId,
            RemoteAddress = client.RemoteAddress,
            RemotePort = client.RemotePort,
            ReasonCode = cause.ReasonCode,
            Reason = cause.Reason,
            Statement = cause.Statement,
            Kicker = cause.Kicker,
            ProtocolVersion = (byte)_version,
            ConnectedFor = TimeSpan.FromMilliseconds(Environment.TickCount64 - _connectedAtTicks),
        });
    }

    /// <summary>An action authorization denied (or could not decide, which denies).</summary>
    private void ReportDenied(MqttActionKind action, string topic, byte qos, bool retain, CheckResult decision)
    {
        if (!Events.IsEnabled)
        {
            return;
        }

        var client = _client!;
        Events.Report(new AccessDeniedEvent
        {
            Type = decision.Decision == CheckDecision.Error ? EventType.AccessControlError : action switch
            {
                MqttActionKind.Publish => EventType.PubActionDisallowed,
                MqttActionKind.Subscribe => EventType.SubActionDisallowed,
                _ => EventType.UnsubActionDisallowed,
            },
            TenantId = client.TenantId,
            UserId = client.UserId,
            ClientId = client.ClientId,
            RemoteAddress = client.RemoteAddress,
            RemotePort = client.RemotePort,
            Action = action,
            Topic = topic,
            QoS = qos,
            Retain = retain,
            Reason = decision.Reason,
        });
    }

    /// <summary>Inbound publish handling: a discarded or failed publish, a stored or cleared retained message, a sample.</summary>
    private void ReportPublish(EventType type, string topic, byte qos, bool retain, int payloadSize, string? reason = null, int sampledEvery = 0)
    {
        if (!Events.IsEnabled || _client is not { } client)
        {
            return;
        }

        BifroEvent e = type is EventType.MessageRetained or EventType.RetainedMessageCleared or EventType.RetainError
            ? new RetainEvent
            {
                Type = type,
                TenantId = client.TenantId,
                UserId = client.UserId,
                ClientId = client.ClientId,
                RemoteAddress = client.RemoteAddress,
                RemotePort = client.RemotePort,
                Topic = topic,
                PayloadSize = payloadSize,
                Reason = reason,
            }
            : new PublishEvent
            {
                Type = type,
                TenantId = client.TenantId,
                UserId = client.UserId,
                ClientId = client.ClientId,
                RemoteAddress = client.RemoteAddress,
                RemotePort = client.RemotePort,
                Topic = topic,
                QoS = qos,
                Retain = retain,
                PayloadSize = payloadSize,
                Reason = reason,
                SampledEvery = sampledEvery,
            };
        Events.Report(e);
    }

    /// <summary>The publish path's only event: every Nth PUBLISH this node receives, when Bifro:Events:PublishSampling is N.</summary>
    private void SamplePublish(PublishMessage message, QualityOfService qos, bool retain)
    {
        var every = _edge.PublishSampling;
        if (every <= 0 || ++t_publishesSinceSample < every)
        {
            return;
        }

        t_publishesSinceSample = 0;
        ReportPublish(EventType.PublishReceived, message.TopicString, (byte)qos, retain, message.Payload.Length, sampledEvery: every);
    }

    /// <summary>Counts a message for this client that will not be sent; the heartbeat reports the counts.</summary>
    private void CountDrop(QualityOfService qos, DropReason reason)
    {
        var drops = Volatile.Read(ref _drops);
        if (drops is null)
        {
            Interlocked.CompareExchange(ref _drops, new int[3 * DropReasons], null);
            drops = _drops!;
        }

        Interlocked.Increment(ref drops[((int)qos * DropReasons) + (int)reason]);
    }

    /// <summary>Reports the drops counted since the last flush, one event per QoS and reason (from the heartbeat, and at cleanup).</summary>
    private void FlushDrops()
    {
        var drops = Volatile.Read(ref _drops);
        if (drops is null || _client is not { } client)
        {
            return;
        }

        for (var i = 0; i < drops.Length; i++)
        {
            if (Volatile.Read(ref drops[i]) == 0)
            {
                continue;
            }

            var count = Interlocked.Exchange(ref drops[i], 0);
            if (count == 0 || !Events.IsEnabled)
            {
                continue;
            }

            Events.Report(new MessageDroppedEvent
            {
                Type = EventType.QoS0Dropped + (i / DropReasons),
                TenantId = client.TenantId,
                UserId = client.UserId,
                ClientId = client.ClientId,
                RemoteAddress = client.RemoteAddress,
                RemotePort = client.RemotePort,
                Reason = (DropReason)(i % DropReasons),
                Count = count,
            });
        }
    }
}
