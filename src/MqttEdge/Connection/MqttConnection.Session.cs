using Bifro.Grains;
using Bifro.MqttEdge.Codec;
using Bifro.MqttEdge.Delivery;

namespace Bifro.MqttEdge.Connection;

/// <summary>This connection as its session and inbox see it: observer references, inbox deliveries, acknowledgements, detach.</summary>
internal sealed partial class MqttConnection
{
    private IInboxConsumer? _inboxConsumerReference;
    private IInboxGrain? _inbox;
    private List<long>? _inboxAcks;
    private List<long>? _inboxReceived;

    private IInboxConsumer InboxConsumerReference =>
        _inboxConsumerReference ??= _edge.GrainFactory.CreateObjectReference<IInboxConsumer>(this);

    private IInboxGrain Inbox => _inbox ??= _edge.GrainFactory.GetGrain<IInboxGrain>(SessionKey!);

    /// <summary>Messages pushed by the session's inbox, in order, within the window it keeps.</summary>
    public Task OnMessagesAsync(long epoch, InboxMessage[] messages)
    {
        lock (_sync)
        {
            if (epoch != Epoch || _phase != ConnectionPhase.Connected)
            {
                return Task.CompletedTask;
            }

            foreach (var message in messages)
            {
                _inboxReceivedUpTo = Math.Max(_inboxReceivedUpTo, message.Sequence);
                if (message.DeliveryState == InboxMessage.Received)
                {
                    // PUBREC came before the reconnect: only PUBREL is resent [MQTT-4.4.0-1].
                    (_outboundIds ??= new Dictionary<ushort, long>())[message.PacketId] = message.Sequence;
                    _publishes.Enqueue(new OutboundEntry { Kind = OutboundKind.PubRel, PacketId = message.PacketId });
                    continue;
                }

                var qos = (QualityOfService)message.QoS;
                if (qos == QualityOfService.AtMostOnce && _publishes.Count >= _edge.Options.MaxQueuedMessages)
                {
                    _edge.Router.Counters.OnQueueFull();
                    continue;
                }

                _publishes.Enqueue(new OutboundEntry
                {
                    Kind = OutboundKind.Publish,
                    Message = PublishMessage.FromMqttMessage(message.Message, qos, message.RetainFlag),
                    QoS = qos,
                    Retain = message.RetainFlag,
                    Dup = message.DeliveryState == InboxMessage.Sent,
                    PacketId = qos == QualityOfService.AtMostOnce ? (ushort)0 : message.PacketId,
                    InboxSequence = message.Sequence,
                    SubscriptionIds = message.SubscriptionIds,
                });
            }

            StartDrainLocked();
        }

        return Task.CompletedTask;
    }

    private void AddInboxAck(long sequence)
    {
        lock (_sync)
        {
            (_inboxAcks ??= new List<long>()).Add(sequence);
        }
    }

    private void AddInboxReceived(long sequence)
    {
        lock (_sync)
        {
            (_inboxReceived ??= new List<long>()).Add(sequence);
        }
    }

    /// <summary>Sends the acknowledgements gathered while handling one read, as one call each.</summary>
    private void FlushInboxAcknowledgements()
    {
        long[]? acks = null;
        long[]? received = null;
        lock (_sync)
        {
            if (_inboxAcks is { Count: > 0 })
            {
                acks = _inboxAcks.ToArray();
                _inboxAcks.Clear();
            }

            if (_inboxReceived is { Count: > 0 })
            {
                received = _inboxReceived.ToArray();
                _inboxReceived.Clear();
            }
        }

        if (received is not null)
        {
            _ = Inbox.ReceivedAsync(Epoch, received);
        }

        if (acks is not null)
        {
            _ = Inbox.AckAsync(Epoch, acks);
        }
    }

    private async Task DetachSessionAsync()
    {
        try
        {
            if (_session is null || Epoch == 0)
            {
                return;
            }

            if (_persistent)
            {
                FlushInboxAcknowledgements();
                await Inbox.DetachAsync(Epoch, Volatile.Read(ref _inboxReceivedUpTo)).WaitAsync(_edge.Options.GrainCallTimeout).ConfigureAwait(false);
            }

            ushort[] pendingQoS2 = _inboundQoS2 is { Count: > 0 } ids ? [.. ids] : [];
            await _session.DetachAsync(new SessionDetachRequest
            {
                Epoch = Epoch,
                Reason = _detachReason,
                SessionExpiryInterval = _disconnectSessionExpiry,
                PendingInboundQoS2 = pendingQoS2,
            }).WaitAsync(_edge.Options.GrainCallTimeout).ConfigureAwait(false);
            LogDisconnected(_edge.Logger, SessionKey, _detachReason);
        }
        finally
        {
            ReleaseTenantSlot();
            if (_inboxConsumerReference is not null)
            {
                _edge.GrainFactory.DeleteObjectReference<IInboxConsumer>(this);
            }
        }
    }
}
