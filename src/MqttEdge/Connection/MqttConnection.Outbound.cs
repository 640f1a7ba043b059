using System.Buffers;
using System.Runtime.InteropServices;
using Bifro.Grains;
using Bifro.MqttEdge.Codec;
using Bifro.MqttEdge.Codec.Packets;
using Bifro.MqttEdge.Delivery;

namespace Bifro.MqttEdge.Connection;

/// <summary>
/// Everything written to the client goes through two queues, control packets first, drained by one
/// writer at a time on the thread pool: it writes every entry the in-flight window allows, then flushes
/// once. Publishers on other connections only enqueue, so a slow client never blocks them; past
/// <c>MaxQueuedMessages</c> its new messages are dropped and counted.
/// </summary>
internal sealed partial class MqttConnection : IThreadPoolWorkItem
{
    private OutboundQueue _control;
    private OutboundQueue _publishes;
    private bool _draining;
    private TaskCompletionSource? _writerIdle;
    private int _outboundInFlight;
    private Dictionary<ushort, long>? _outboundIds;
    private ushort _lastPacketId;
    private Dictionary<string, ushort>? _outboundAliases;
    private TaskCompletionSource? _room;
    private bool _backpressureWaived;

    /// <summary>
    /// Queues a message matched by a publisher (transient sessions); called from any thread. True when
    /// this client's queue is past its high-water mark: the publisher should wait for <see cref="WhenRoomAsync"/>.
    /// </summary>
    public bool EnqueuePublish(PublishMessage message, QualityOfService qos, bool retain, ReadOnlySpan<uint> subscriptionIds)
    {
        lock (_sync)
        {
            if (_phase != ConnectionPhase.Connected)
            {
                _edge.Router.Counters.OnNoConnection();
                CountDrop(qos, DropReason.SessionClosed);
                return false;
            }

            if (_publishes.Count >= _edge.Options.MaxQueuedMessages)
            {
                _edge.Router.Counters.OnQueueFull();
                CountDrop(qos, DropReason.Overflow);
                return false;
            }

            message.AddReference();
            _publishes.Enqueue(new OutboundEntry
            {
                Kind = OutboundKind.Publish,
                Message = message,
                QoS = qos,
                Retain = retain,
                SubscriptionIds = subscriptionIds.IsEmpty ? null : subscriptionIds.ToArray(),
            });
            StartDrainLocked();
            var highWater = _edge.Options.OutboundHighWaterMark;
            return highWater > 0 && _publishes.Count >= highWater && !_backpressureWaived;
        }
    }

    string? IBackpressureSource.Name => SessionKey;

    /// <summary>Completes when this client's queue is down to half its high-water mark (or the connection closes).</summary>
    public Task WhenRoomAsync()
    {
        lock (_sync)
        {
            if (_phase != ConnectionPhase.Connected || _publishes.Count <= _edge.Options.OutboundHighWaterMark / 2)
            {
                return Task.CompletedTask;
            }

            return (_room ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task;
        }
    }

    /// <summary>
    /// A publisher waited too long for this client: it stops exerting back-pressure (so it cannot stall
    /// every publisher) until its queue drains, and meanwhile its queue limit applies.
    /// </summary>
    public void WaiveBackpressure()
    {
        lock (_sync)
        {
            _backpressureWaived = true;
        }
    }

    private void EnqueueControl(in OutboundEntry entry)
    {
        lock (_sync)
        {
            if (_phase >= ConnectionPhase.Closing)
            {
                return;
            }

            _control.Enqueue(entry);
            StartDrainLocked();
        }
    }

    private void StartDrainLocked()
    {
        if (!_draining)
        {
            _draining = true;
            ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: true);
        }
    }

    void IThreadPoolWorkItem.Execute() => _ = DrainAsync();

    private async Task DrainAsync()
    {
        var batch = ArrayPool<OutboundEntry>.Shared.Rent(64);
        try
        {
            while (true)
            {
                var count = TakeBatch(ref batch, out var closing);
                if (count == 0)
                {
                    return;
                }

                var disconnect = false;
                for (var i = 0; i < count; i++)
                {
                    disconnect |= Write(ref batch[i]);
                    batch[i] = default;
                }

                var flush = await _output.FlushAsync().ConfigureAwait(false);
                if (disconnect || flush.IsCompleted || flush.IsCanceled)
                {
                    // After a DISCONNECT nothing more is written [MQTT-3.14.4-1]; the read loop is already stopping.
                    StopDraining(final: true);
                    return;
                }
            }
        }
        catch (Exception exception) when (exception is IOException or InvalidOperationException or ObjectDisposedException)
        {
            StopDraining(final: true);
        }
        catch (Exception exception)
        {
            LogWriteFailed(_edge.Logger, exception, RemoteEndPoint);
            StopDraining(final: true);
            Abort(DetachReason.Abnormal);
        }
        finally
        {
            ArrayPool<OutboundEntry>.Shared.Return(batch, clearArray: true);
        }
    }

    /// <summary>Takes what may be written now: all control packets, then publishes while the in-flight window has room.</summary>
    private int TakeBatch(ref OutboundEntry[] batch, out bool closing)
    {
        lock (_sync)
        {
            closing = _phase >= ConnectionPhase.Closing;
            var count = 0;
            while (_control.Count > 0)
            {
                Add(ref batch, ref count, _control.Dequeue());
            }

            // After Closing only the final control packets (CONNACK refusal, DISCONNECT) go out.
            while (!closing && _publishes.Count > 0)
            {
                ref var next = ref _publishes.Peek();
                if (next.QoS > QualityOfService.AtMostOnce && next.InboxSequence == 0)
                {
                    if (_outboundInFlight >= _clientReceiveMaximum)
                    {
                        break;
                    }

                    _outboundInFlight++;
                    next.PacketId = NextPacketIdLocked();
                    (_outboundIds ??= new Dictionary<ushort, long>()).Add(next.PacketId, 0);
                }
                else if (next.InboxSequence > 0 && next.PacketId != 0)
                {
                    (_outboundIds ??= new Dictionary<ushort, long>())[next.PacketId] = next.InboxSequence;
                }

                Add(ref batch, ref count, _publishes.Dequeue());
            }

            if (_publishes.Count <= _edge.Options.OutboundHighWaterMark / 2)
            {
                // Drained to the low-water mark: waiting publishers go on, and a waived client may push back again.
                _backpressureWaived = false;
                _room?.TrySetResult();
                _room = null;
            }

            if (count == 0)
            {
                _draining = false;
                _writerIdle?.TrySetResult();
                _writerIdle = null;
            }

            return count;
        }
    }

    private static void Add(ref OutboundEntry[] batch, ref int count, OutboundEntry entry)
    {
        if (count == batch.Length)
        {
            var larger = ArrayPool<OutboundEntry>.Shared.Rent(batch.Length * 2);
            batch.AsSpan(0, count).CopyTo(larger);
            ArrayPool<OutboundEntry>.Shared.Return(batch, clearArray: true);
            batch = larger;
        }

        batch[count++] = entry;
    }

    /// <summary>Writes one entry; true when it was a DISCONNECT.</summary>
    private bool Write(ref OutboundEntry entry)
    {
        var maxSize = _clientMaximumPacketSize;
        switch (entry.Kind)
        {
            case OutboundKind.Publish:
                WritePublish(ref entry);
                return false;
            case OutboundKind.PubAck:
                // A reason string only with a failure (authorization), and only to a client that asked for problem information [MQTT-3.1.2-29].
                new PubAckPacket(entry.PacketId, entry.Reason) { ReasonString = _requestProblemInformation ? entry.ReasonString : null }.TryWrite(_output, _version, maxSize);
                return false;
            case OutboundKind.PubRec:
                new PubRecPacket(entry.PacketId, entry.Reason) { ReasonString = _requestProblemInformation ? entry.ReasonString : null }.TryWrite(_output, _version, maxSize);
                return false;
            case OutboundKind.PubRel:
                new PubRelPacket(entry.PacketId, entry.Reason).TryWrite(_output, _version, maxSize);
                return false;
            case OutboundKind.PubComp:
                new PubCompPacket(entry.PacketId, entry.Reason).TryWrite(_output, _version, maxSize);
                return false;
            case OutboundKind.PingResp:
                PingRespPacket.Write(_output);
                return false;
            case OutboundKind.Packet:
                WriteControl(entry.Packet!);
                return false;
            case OutboundKind.Disconnect:
                var disconnect = new DisconnectPacket(entry.Reason) { ReasonString = entry.ReasonString };
                disconnect.TryWrite(_output, _version, maxSize);
                return true;
            default:
                return false;
        }
    }

    private void WriteControl(object packet)
    {
        switch (packet)
        {
            case ConnAckPacket connAck:
                // CONNACK carries its diagnostics whatever Request Problem Information says [MQTT-3.1.2-29].
                connAck.TryWrite(_output, _version, _clientMaximumPacketSize);
                break;
            case SubAckPacket subAck:
                subAck.Write(_output, _version, _requestProblemInformation);
                break;
            case UnsubAckPacket unsubAck:
                unsubAck.Write(_output, _version, _requestProblemInformation);
                break;
            case IControlPacket control:
                control.Write(_output, _version, _requestProblemInformation);
                break;
        }
    }

    private void WritePublish(ref OutboundEntry entry)
    {
        var message = entry.Message!;
        try
        {
            var now = _edge.Time.GetUtcNow().UtcTicks;
            if (message.IsExpired(now) && !entry.Dup)
            {
                // [MQTT-3.3.2-5] An expired message is not sent.
                _edge.Router.Counters.OnExpired();
                CountDrop(entry.QoS, DropReason.Expired);
                DropOutbound(ref entry);
                return;
            }

            var v5 = _version == ProtocolVersion.Mqtt500;
            ushort newAlias = 0;
            var outgoing = new OutgoingPublish
            {
                Version = _version,
                QoS = entry.QoS,
                Retain = entry.Retain,
                Dup = entry.Dup,
                PacketId = entry.QoS == QualityOfService.AtMostOnce ? (ushort)0 : entry.PacketId,
                Topic = message.Topic,
                Payload = message.Payload,
            };

            if (v5)
            {
                outgoing.PayloadFormatIndicator = message.PayloadFormatIndicator;
                outgoing.MessageExpiryInterval = message.RemainingExpirySeconds(now);
                outgoing.ContentType = message.ContentType;
                outgoing.HasContentType = message.ContentTypeLength >= 0;
                outgoing.ResponseTopic = message.ResponseTopic;
                outgoing.CorrelationData = message.CorrelationData;
                outgoing.HasCorrelationData = message.CorrelationDataLength >= 0;
                outgoing.UserProperties = message.UserProperties;
                if (entry.SubscriptionIds is { } ids)
                {
                    outgoing.SubscriptionIdentifiers = MemoryMarshal.Cast<uint, int>(ids);
                }

                if (_clientTopicAliasMaximum > 0)
                {
                    newAlias = ApplyTopicAlias(ref outgoing, message);
                }
            }

            if (PublishPacket.GetSize(outgoing) > _clientMaximumPacketSize)
            {
                // [MQTT-3.1.2-24] A message too large for the client is dropped, not sent.
                _edge.Router.Counters.OnTooLarge();
                CountDrop(entry.QoS, DropReason.TooLarge);
                LogTooLarge(_edge.Logger, SessionKey, message.TopicString, _clientMaximumPacketSize);
                DropOutbound(ref entry);
                return;
            }

            if (newAlias != 0)
            {
                // Only now that the packet that sets it is written: the client knows an alias once it got it (3.3.2.3.4).
                _outboundAliases![message.TopicString] = newAlias;
            }

            PublishPacket.Write(_output, outgoing);
            _edge.Router.Counters.OnDelivered();
            CountSent(entry.QoS, message, now);
        }
        finally
        {
            message.Release();
            entry.Message = null;
        }
    }

    /// <summary>
    /// Sends the topic as an alias once the client has it; new aliases while there are free ones. Returns a new
    /// alias, which the caller records only if the packet is written (a packet dropped as too large sets nothing).
    /// </summary>
    private ushort ApplyTopicAlias(ref OutgoingPublish outgoing, PublishMessage message)
    {
        var aliases = _outboundAliases ??= new Dictionary<string, ushort>(StringComparer.Ordinal);
        var topic = message.TopicString;
        if (aliases.TryGetValue(topic, out var alias))
        {
            outgoing.TopicAlias = alias;
            outgoing.Topic = default;
            return 0;
        }

        if (aliases.Count < _clientTopicAliasMaximum)
        {
            alias = (ushort)(aliases.Count + 1);
            outgoing.TopicAlias = alias;
            return alias;
        }

        return 0;
    }

    /// <summary>A QoS 1 or 2 message that will not be sent gives its window slot and packet id back (or is acknowledged to its inbox).</summary>
    private void DropOutbound(ref OutboundEntry entry)
    {
        if (entry.QoS == QualityOfService.AtMostOnce)
        {
            return;
        }

        if (entry.InboxSequence > 0)
        {
            lock (_sync)
            {
                _outboundIds?.Remove(entry.PacketId);
            }

            AddInboxAck(entry.InboxSequence);
            return;
        }

        CompleteOutbound(entry.PacketId);
    }

    /// <summary>The client acknowledged (or we gave up on) an outbound QoS 1 or 2 message.</summary>
    private void CompleteOutbound(ushort packetId)
    {
        long sequence;
        lock (_sync)
        {
            if (_outboundIds is null || !_outboundIds.Remove(packetId, out sequence))
            {
                return;
            }

            if (sequence == 0)
            {
                _outboundInFlight--;
                if (_publishes.Count > 0)
                {
                    StartDrainLocked();
                }
            }
        }

        if (sequence > 0)
        {
            AddInboxAck(sequence);
        }
    }

    private ushort NextPacketIdLocked()
    {
        // [MQTT-2.2.1-4] A packet id is not reused while its exchange is in flight.
        do
        {
            _lastPacketId = _lastPacketId == ushort.MaxValue ? (ushort)1 : (ushort)(_lastPacketId + 1);
        }
        while (_outboundIds is not null && _outboundIds.ContainsKey(_lastPacketId));

        return _lastPacketId;
    }

    private Task WaitForWriterAsync(TimeSpan timeout)
    {
        lock (_sync)
        {
            if (!_draining)
            {
                return Task.CompletedTask;
            }

            _writerIdle ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            return _writerIdle.Task.WaitAsync(timeout).ContinueWith(static _ => { }, TaskScheduler.Default);
        }
    }

    private void StopDraining(bool final)
    {
        lock (_sync)
        {
            _room?.TrySetResult();
            _room = null;
            _draining = false;
            _writerIdle?.TrySetResult();
            _writerIdle = null;
            if (final && _phase < ConnectionPhase.Closing)
            {
                _phase = ConnectionPhase.Closing;
                _input.CancelPendingRead();
            }
        }
    }

    private List<PublishMessage>? DrainQueuesForRelease()
    {
        List<PublishMessage>? release = null;
        while (_control.Count > 0)
        {
            _control.Dequeue();
        }

        while (_publishes.Count > 0)
        {
            if (_publishes.Dequeue().Message is { } message)
            {
                (release ??= new List<PublishMessage>()).Add(message);
            }
        }

        return release;
    }
}
