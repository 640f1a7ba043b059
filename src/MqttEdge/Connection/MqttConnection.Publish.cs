using System.Text;
using Bifro.Grains;
using Bifro.MqttEdge.Codec;
using Bifro.MqttEdge.Codec.Packets;
using Bifro.MqttEdge.Delivery;
using Bifro.MqttEdge.Limits;

namespace Bifro.MqttEdge.Connection;

/// <summary>PUBLISH from the client (ARCHITECTURE.md, flow 3) and the client's acknowledgements of ours.</summary>
internal sealed partial class MqttConnection
{
    private TenantRoutes? _routes;
    private RouteSubscriber? _self;
    private byte[]?[]? _inboundAliases;
    private HashSet<ushort>? _inboundQoS2;
    private int _inboundInFlight;
    private Queue<PendingAck>? _pendingAcks;
    private List<IBackpressureSource>? _congested;

    private ValueTask<bool> HandlePublish(byte flags, ReadOnlySpan<byte> body)
    {
        if (!PublishPacket.TryRead(flags, body, _version, out var packet, out var error))
        {
            return new ValueTask<bool>(ProtocolViolation(error));
        }

        CountReceived(packet.QoS, packet.Payload.Length);
        var options = _edge.Options;
        var properties = packet.Properties;
        if (properties.SubscriptionIdentifierCount > 0)
        {
            return new ValueTask<bool>(ProtocolViolation(ReasonCode.ProtocolError, "MQTT-3.3.4-6", "A client's PUBLISH must not carry a Subscription Identifier"));
        }

        var topic = packet.Topic;
        if (properties.TopicAlias != 0)
        {
            // [MQTT-3.3.2-9/10] An alias above our Topic Alias Maximum is an error.
            if (properties.TopicAlias > options.TopicAliasMaximum)
            {
                return new ValueTask<bool>(ProtocolViolation(ReasonCode.TopicAliasInvalid, "MQTT-3.3.2-9", $"Topic alias {properties.TopicAlias} exceeds the maximum {options.TopicAliasMaximum}"));
            }

            _inboundAliases ??= new byte[]?[options.TopicAliasMaximum + 1];
            if (topic.Length > 0)
            {
                _inboundAliases[properties.TopicAlias] = topic.ToArray();
            }
            else if (_inboundAliases[properties.TopicAlias] is { } known)
            {
                topic = known;
            }
            else
            {
                return new ValueTask<bool>(ProtocolViolation(ReasonCode.ProtocolError, "MQTT-3.3.4", $"Topic alias {properties.TopicAlias} was never set"));
            }
        }

        var qos = packet.QoS;
        if (qos > options.MaximumQoS)
        {
            // [MQTT-3.2.2-11] A QoS above the Maximum QoS we announced.
            return new ValueTask<bool>(ProtocolViolation(ReasonCode.QoSNotSupported, "MQTT-3.2.2-11", $"QoS {(int)qos} exceeds the maximum {(int)options.MaximumQoS}"));
        }

        // The tenant's limits, local to this connection: rate, retain, topic and payload size.
        if (!CheckPublishLimits(topic, packet.Payload.Length, packet.Retain))
        {
            return new ValueTask<bool>(false);
        }

        if (qos == QualityOfService.ExactlyOnce && _inboundQoS2 is not null && _inboundQoS2.Contains(packet.PacketId))
        {
            // [MQTT-4.3.3-9] A resent QoS 2 PUBLISH before PUBREL is acknowledged again but not delivered again.
            EnqueueControl(new OutboundEntry { Kind = OutboundKind.PubRec, PacketId = packet.PacketId });
            return new ValueTask<bool>(true);
        }

        if (qos > QualityOfService.AtMostOnce)
        {
            lock (_sync)
            {
                if (_inboundInFlight >= _receiveMaximum && _version == ProtocolVersion.Mqtt500)
                {
                    // [MQTT-3.3.4-7] More unacknowledged QoS 1 and 2 PUBLISH packets than our Receive Maximum: 0x93.
                    return new ValueTask<bool>(ProtocolViolation(ReasonCode.ReceiveMaximumExceeded, "MQTT-3.3.4-7", $"More than {_receiveMaximum} unacknowledged PUBLISH packets"));
                }

                _inboundInFlight++;
            }
        }

        var now = _edge.Time.GetUtcNow().UtcTicks;

        // The payload is copied now, once: authorization may have to wait for the provider, and the frame
        // is only valid until this method returns.
        var message = PublishMessage.Create(packet, topic, SessionKey, now);
        var retain = packet.Retain;
        var packetId = packet.PacketId;
        if (_decisions!.TryGet(MqttActionKind.Publish, topic, (byte)qos, retain, out var decision))
        {
            // The hot path: a decision this connection already has, without a grain call or an allocation.
            return new ValueTask<bool>(decision.IsGranted ? RoutePublish(message, qos, retain, packetId, now) : DenyPublish(message, qos, packetId, decision));
        }

        return AuthorizePublishAsync(message, qos, retain, packetId, now);
    }

    private async ValueTask<bool> AuthorizePublishAsync(PublishMessage message, QualityOfService qos, bool retain, ushort packetId, long now)
    {
        CheckResult decision;
        try
        {
            decision = (await AuthorizeAsync([MqttAction.Publish(message.TopicString, (byte)qos, retain)]).ConfigureAwait(false))[0];
        }
        catch
        {
            message.Release();
            throw;
        }

        _decisions!.Add(MqttActionKind.Publish, message.Topic, (byte)qos, retain, decision);
        return decision.IsGranted ? RoutePublish(message, qos, retain, packetId, now) : DenyPublish(message, qos, packetId, decision);
    }

    /// <summary>
    /// A PUBLISH the client may not make. QoS 1 and 2: 5.0 PUBACK / PUBREC 0x87 and the connection stays; 3.x
    /// cannot say no, so the connection closes [MQTT-3.3.5-2]. QoS 0: DISCONNECT 0x87 (3.x: close), or a
    /// silent drop when Bifro:Auth:DeniedQoS0Publish is "drop".
    /// </summary>
    private bool DenyPublish(PublishMessage message, QualityOfService qos, ushort packetId, CheckResult decision)
    {
        if (Events.IsEnabled)
        {
            ReportDenied(MqttActionKind.Publish, message.TopicString, (byte)qos, message.Retain, decision);
        }

        var topic = Events.IsEnabled ? message.TopicString : null;
        var size = message.Payload.Length;
        message.Release();
        if (qos == QualityOfService.AtMostOnce)
        {
            if (_edge.AuthOptions.DropDeniedQoS0Publish)
            {
                ReportPublish(EventType.PublishDiscarded, topic ?? string.Empty, 0, false, size, "Not authorized to publish to this topic.");
                return true;
            }

            SetCloseCause(EventType.NoPubPermission, ReasonCode.NotAuthorized, "Not authorized to publish to this topic.");
            Close(ReasonCode.NotAuthorized, "Not authorized to publish to this topic.", DetachReason.Abnormal);
            return false;
        }

        if (_version != ProtocolVersion.Mqtt500)
        {
            SetCloseCause(EventType.NoPubPermission, null, "Not authorized to publish to this topic.");
            Close(null, null, DetachReason.Abnormal);
            return false;
        }

        // A failure PUBREC ends the QoS 2 exchange [MQTT-4.3.3]: no PUBREL follows, so the packet id is not
        // kept, and the acknowledgement itself returns the Receive Maximum slot.
        EnqueueAck(qos == QualityOfService.AtLeastOnce ? OutboundKind.PubAck : OutboundKind.PubRec, packetId, ReasonCode.NotAuthorized, null, endsExchange: true,
            decision.Decision == CheckDecision.Error ? "The authorization check failed." : "Not authorized to publish to this topic.");
        return true;
    }

    /// <summary>An authorized PUBLISH: retained store, delivery on the route replica, acknowledgement once handed off.</summary>
    private bool RoutePublish(PublishMessage message, QualityOfService qos, bool retain, ushort packetId, long now)
    {
        SamplePublish(message, qos, retain);
        // Current while the message is routed, so that the grain calls it makes (inboxes, retained store, other
        // nodes' edges) continue the trace.
        using var activity = StartPublishActivity(qos, retain);
        Task? retained = null;
        if (retain)
        {
            retained = CheckRetainedAsync(_edge.Router.StoreRetainedAsync(_tenant, message.ToMqttMessage(now)), message.TopicString, message.Payload.Length);
        }

        _self ??= _routes!.Find(SessionKey!);
        var pending = _edge.Router.Route(_routes!, message, _self, out var matched, out var congested);
        if (congested is not null)
        {
            (_congested ??= new List<IBackpressureSource>()).AddRange(congested);
        }

        message.Release();

        if (qos == QualityOfService.AtMostOnce)
        {
            if (retained is not null)
            {
                ObserveHandOff(retained);
            }

            return true;
        }

        if (retained is not null)
        {
            pending = pending is null ? retained : Task.WhenAll(pending, retained);
        }

        var reason = matched || _version != ProtocolVersion.Mqtt500 ? ReasonCode.Success : ReasonCode.NoMatchingSubscribers;
        if (qos == QualityOfService.ExactlyOnce)
        {
            (_inboundQoS2 ??= new HashSet<ushort>()).Add(packetId);
        }

        EnqueueAck(qos == QualityOfService.AtLeastOnce ? OutboundKind.PubAck : OutboundKind.PubRec, packetId, reason, pending);
        return true;
    }

    private bool HandlePubRel(byte flags, ReadOnlySpan<byte> body)
    {
        if (!PubRelPacket.TryRead(flags, body, _version, out var packet, out var error))
        {
            return ProtocolViolation(error);
        }

        var known = _inboundQoS2 is not null && _inboundQoS2.Remove(packet.PacketId);
        if (known)
        {
            lock (_sync)
            {
                _inboundInFlight--;
            }
        }

        // [MQTT-4.3.3-11] PUBCOMP releases the packet id; 5.0 says 0x92 when we did not know it.
        EnqueueControl(new OutboundEntry
        {
            Kind = OutboundKind.PubComp,
            PacketId = packet.PacketId,
            Reason = known || _version != ProtocolVersion.Mqtt500 ? ReasonCode.Success : ReasonCode.PacketIdentifierNotFound,
        });
        return true;
    }

    private bool HandlePubAck(byte flags, ReadOnlySpan<byte> body)
    {
        if (!PubAckPacket.TryRead(flags, body, _version, out var packet, out var error))
        {
            return ProtocolViolation(error);
        }

        CompleteOutbound(packet.PacketId);
        return true;
    }

    private bool HandlePubRec(byte flags, ReadOnlySpan<byte> body)
    {
        if (!PubRecPacket.TryRead(flags, body, _version, out var packet, out var error))
        {
            return ProtocolViolation(error);
        }

        if ((byte)packet.ReasonCode >= 0x80)
        {
            // [MQTT-4.3.3] A failure PUBREC ends the exchange: the id is free, nothing more is sent.
            CompleteOutbound(packet.PacketId);
            return true;
        }

        long sequence;
        lock (_sync)
        {
            if (_outboundIds is null || !_outboundIds.TryGetValue(packet.PacketId, out sequence))
            {
                sequence = -1;
            }
        }

        if (sequence > 0)
        {
            AddInboxReceived(sequence);
        }

        // [MQTT-4.3.3-4] Answer PUBREC with PUBREL; 5.0 says 0x92 for an id we do not know.
        EnqueueControl(new OutboundEntry
        {
            Kind = OutboundKind.PubRel,
            PacketId = packet.PacketId,
            Reason = sequence >= 0 || _version != ProtocolVersion.Mqtt500 ? ReasonCode.Success : ReasonCode.PacketIdentifierNotFound,
        });
        return true;
    }

    private bool HandlePubComp(byte flags, ReadOnlySpan<byte> body)
    {
        if (!PubCompPacket.TryRead(flags, body, _version, out var packet, out var error))
        {
            return ProtocolViolation(error);
        }

        CompleteOutbound(packet.PacketId);
        return true;
    }

    /// <summary>
    /// Queues PUBACK or PUBREC. [MQTT-4.6.0-2/3] Acknowledgements go out in the order the PUBLISH packets
    /// came, so one waiting for a durable hand-off holds back those behind it.
    /// </summary>
    private void EnqueueAck(OutboundKind kind, ushort packetId, ReasonCode reason, Task? pending, bool endsExchange = false, string? reasonString = null)
    {
        if (pending is not null && pending.IsCompleted)
        {
            reason = pending.IsCompletedSuccessfully ? reason : FailureReasonOf(pending, QoSOf(kind));
            pending = null;
        }

        PendingAck ack;
        lock (_sync)
        {
            if (pending is null && (_pendingAcks is null || _pendingAcks.Count == 0))
            {
                ReleaseAckLocked(kind, packetId, reason, endsExchange, reasonString);
                return;
            }

            ack = new PendingAck(kind, packetId, reason) { Done = pending is null, EndsExchange = endsExchange, ReasonString = reasonString };
            (_pendingAcks ??= new Queue<PendingAck>()).Enqueue(ack);
            if (pending is null)
            {
                ReleaseReadyAcksLocked();
                return;
            }
        }

        pending!.ContinueWith(
            static (task, state) =>
            {
                var (connection, ack) = ((MqttConnection, PendingAck))state!;
                lock (connection._sync)
                {
                    if (!task.IsCompletedSuccessfully)
                    {
                        ack.Reason = connection.FailureReasonOf(task, QoSOf(ack.Kind));
                    }

                    ack.Done = true;
                    connection.ReleaseReadyAcksLocked();
                }
            },
            (this, ack),
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
    }

    /// <summary>
    /// The acknowledgement of a PUBLISH whose hand-off failed: 0x80, or for a retained message that the tenant's
    /// MaxRetainedTopics kept out of the store (but that was delivered) 0x97, which 3.x cannot say: success.
    /// Either is reported: the tenant out of retained topics, or the publish error.
    /// </summary>
    private ReasonCode FailureReasonOf(Task handOff, byte qos)
    {
        var exception = handOff.Exception?.GetBaseException();
        if (exception is RetainQuotaExceededException)
        {
            NoteLimitExceeded(nameof(TenantSettings.MaxRetainedTopics), _settings.MaxRetainedTopics, exception.Message);
            return _version == ProtocolVersion.Mqtt500 ? ReasonCode.QuotaExceeded : ReasonCode.Success;
        }

        LogHandOffFailed(_edge.Logger, exception, SessionKey);
        ReportPublish(EventType.PublishError, string.Empty, qos, false, 0, exception?.Message ?? "The message could not be handed off.");
        return ReasonCode.UnspecifiedError;
    }

    private static byte QoSOf(OutboundKind ack) => ack == OutboundKind.PubAck ? (byte)1 : (byte)2;

    /// <summary>
    /// The retained store's answer: an event (stored, cleared, failed), and a failure for the acknowledgement to
    /// see when the tenant's MaxRetainedTopics kept a new topic out.
    /// </summary>
    private async Task CheckRetainedAsync(Task<RetainResult> stored, string topic, int payloadSize)
    {
        RetainResult result;
        try
        {
            result = await stored.ConfigureAwait(false);
        }
        catch (Exception exception)
        {
            ReportPublish(EventType.RetainError, topic, 0, true, payloadSize, exception.Message);
            throw;
        }

        switch (result)
        {
            case RetainResult.QuotaExceeded:
                throw new RetainQuotaExceededException();
            case RetainResult.Cleared:
                ReportPublish(EventType.RetainedMessageCleared, topic, 0, true, payloadSize);
                break;
            case RetainResult.Stored or RetainResult.Replaced:
                ReportPublish(EventType.MessageRetained, topic, 0, true, payloadSize);
                break;
        }
    }

    private void ReleaseReadyAcksLocked()
    {
        while (_pendingAcks is { Count: > 0 } && _pendingAcks.Peek().Done)
        {
            var ack = _pendingAcks.Dequeue();
            ReleaseAckLocked(ack.Kind, ack.PacketId, ack.Reason, ack.EndsExchange, ack.ReasonString);
        }
    }

    private void ReleaseAckLocked(OutboundKind kind, ushort packetId, ReasonCode reason, bool endsExchange = false, string? reasonString = null)
    {
        if (_phase >= ConnectionPhase.Closing)
        {
            return;
        }

        if ((byte)reason >= 0x80 && _version != ProtocolVersion.Mqtt500)
        {
            // 3.x has no failure acknowledgement: close, and the client publishes again on its next connection.
            _phase = ConnectionPhase.Closing;
            _input.CancelPendingRead();
            return;
        }

        if (kind == OutboundKind.PubAck || endsExchange)
        {
            _inboundInFlight--;
        }

        _control.Enqueue(new OutboundEntry { Kind = kind, PacketId = packetId, Reason = reason, ReasonString = reasonString });
        StartDrainLocked();
    }

    /// <summary>
    /// Back-pressure: subscribers this read delivered to are past their high-water mark; stop reading
    /// (TCP then slows the client) until they drain, or give up on one that takes too long.
    /// </summary>
    private async ValueTask WaitForCongestedSubscribersAsync()
    {
        var congested = _congested!;
        _congested = null;
        var deadline = Environment.TickCount64 + (long)_edge.Options.BackpressureTimeout.TotalMilliseconds;
        foreach (var subscriber in congested)
        {
            var remaining = deadline - Environment.TickCount64;
            var room = subscriber.WhenRoomAsync();
            if (!room.IsCompleted && (remaining <= 0 || !await WaitAsync(room, remaining).ConfigureAwait(false)))
            {
                LogBackpressureWaived(_edge.Logger, subscriber.Name, SessionKey);
                subscriber.WaiveBackpressure();
            }
        }
    }

    private static async Task<bool> WaitAsync(Task task, long milliseconds)
    {
        try
        {
            await task.WaitAsync(TimeSpan.FromMilliseconds(milliseconds)).ConfigureAwait(false);
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
    }

    private void ObserveHandOff(Task task) =>
        task.ContinueWith(
            static (t, state) => ((MqttConnection)state!).FailureReasonOf(t, 0),
            this,
            CancellationToken.None,
            TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);

    private void RestoreInboundQoS2(ushort[] pending)
    {
        if (pending.Length == 0)
        {
            return;
        }

        _inboundQoS2 ??= new HashSet<ushort>();
        foreach (var id in pending)
        {
            _inboundQoS2.Add(id);
        }

        lock (_sync)
        {
            _inboundInFlight += pending.Length;
        }
    }

    /// <summary>An acknowledgement waiting for the hand-offs of its PUBLISH.</summary>
    private sealed class PendingAck(OutboundKind kind, ushort packetId, ReasonCode reason)
    {
        public OutboundKind Kind { get; } = kind;

        public ushort PacketId { get; } = packetId;

        public ReasonCode Reason { get; set; } = reason;

        public bool Done { get; set; }

        /// <summary>A failure PUBREC that ends its exchange, so the Receive Maximum slot comes back with it.</summary>
        public bool EndsExchange { get; init; }

        public string? ReasonString { get; init; }
    }
}
