using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using Bifro.Bench.Mqtt;

namespace Bifro.Bench.Load;

/// <summary>
/// A publishing connection. Each phase runs one loop on it (max rate here, paced in Publisher.Paced.cs) that
/// both writes PUBLISH batches and reads PUBACKs, so a QoS 1 window needs no lock or second task: the loop
/// writes until the window is full, then reads acks, each ack freeing one slot.
/// </summary>
internal sealed partial class Publisher
{
    private readonly MqttConnection _connection;
    private readonly PublishTemplate _template;
    private readonly int _index;
    private readonly int _window;
    private readonly int _batchLimit;
    private ushort _nextPacketId;
    private long _sequence;
    private long _sent;
    private long _acked;
    private long _rejected;
    private int _pingResponses;

    public Publisher(MqttConnection connection, PublishTemplate template, int index, int window)
    {
        _connection = connection;
        _template = template;
        _index = index;
        // A 5.0 broker may allow fewer unacknowledged QoS 1 publishes than we would like [MQTT-3.3.4-7].
        _window = template.Qos == 0 ? int.MaxValue : Math.Max(1, Math.Min(window, connection.ServerReceiveMaximum));
        _batchLimit = Math.Max(1, connection.SendCapacity / template.Length);
    }

    /// <summary>PUBLISH packets written to the socket in the current phase.</summary>
    public long Sent => Volatile.Read(ref _sent);

    /// <summary>PUBACKs received in the current phase.</summary>
    public long Acked => Volatile.Read(ref _acked);

    /// <summary>PUBACKs with a failure reason code (5.0 only).</summary>
    public long Rejected => Volatile.Read(ref _rejected);

    /// <summary>Stopwatch ticks of the first and last write of the current phase.</summary>
    public long FirstSend { get; private set; }

    public long LastSend { get; private set; }

    public int Window => _window;

    public Task RunMaxRateAsync(byte phase, long count) => Task.Run(() => MaxRateLoopAsync(phase, count));

    public Task DisconnectAsync(TimeSpan wait) => _connection.DisconnectAsync(wait);

    public void Abort() => _connection.Dispose();

    private async Task MaxRateLoopAsync(byte phase, long count)
    {
        Reset();
        while (true)
        {
            if (_sent < count && _sent - _acked < _window)
            {
                var n = (int)Math.Min(Math.Min(count - _sent, _window - (_sent - _acked)), _batchLimit);
                WritePublishes(phase, n);
                await FlushAsync(n);
            }

            if (_template.Qos == 0)
            {
                if (_sent == count)
                {
                    break;
                }

                continue; // TCP back-pressure is the only brake: the send completes when the kernel takes it.
            }

            if (_acked >= count)
            {
                break;
            }

            // Keep writing while the window has room and no ack is waiting; otherwise read acks (blocking).
            if (_sent < count && _sent - _acked < _window && _connection.Available == 0)
            {
                continue;
            }

            await ReceiveAcksAsync();
        }

        await FinishAsync();
    }

    private void Reset()
    {
        _sent = 0;
        _acked = 0;
        _rejected = 0;
        _pingResponses = 0;
        FirstSend = 0;
        LastSend = 0;
    }

    /// <summary>Copies the template <paramref name="count"/> times into the send buffer and stamps each copy.</summary>
    private void WritePublishes(byte phase, int count)
    {
        var length = _template.Length;
        var span = _connection.GetSendSpan(count * length);
        // One timestamp per batch: the batch leaves in one write, so its messages are sent at the same moment.
        var now = Clock.Now;
        if (FirstSend == 0)
        {
            FirstSend = now;
        }

        for (var i = 0; i < count; i++)
        {
            var packet = span.Slice(i * length, length);
            _template.Packet.CopyTo(packet);
            if (_template.PacketIdOffset >= 0)
            {
                // Ids cycle through 1..65535 (0 is not allowed [MQTT-2.3.1-1]); the window is far smaller.
                _nextPacketId = _nextPacketId == ushort.MaxValue ? (ushort)1 : (ushort)(_nextPacketId + 1);
                BinaryPrimitives.WriteUInt16BigEndian(packet[_template.PacketIdOffset..], _nextPacketId);
            }

            Payload.Stamp(packet[_template.PayloadOffset..], now, _sequence++, _index, phase);
        }

        _connection.AdvanceSend(count * length);
        LastSend = now;
    }

    // The awaited helpers use the pooling builder: they often complete asynchronously (waiting for the
    // kernel or for acks), and the default builder would then allocate a state machine box per call.
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    private async ValueTask FlushAsync(int messages)
    {
        var length = _connection.PendingSend;
        if (await _connection.FlushAsync() != length)
        {
            throw new MqttProtocolException("Short write on the socket.");
        }

        Volatile.Write(ref _sent, _sent + messages);
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    private async ValueTask ReceiveAcksAsync()
    {
        var count = await _connection.ReceiveAsync();
        if (count == 0)
        {
            throw new MqttProtocolException("The broker closed the publisher's connection.");
        }

        _connection.Received(count);
        while (FrameReader.TryRead(_connection.Buffered, out var frame))
        {
            switch (frame.Type)
            {
                case PacketType.PubAck:
                    // 5.0 may add a reason code after the id; 0x80 and above is a failure [MQTT-3.4.2.1].
                    if (frame.RemainingLength > 2 && _connection.Buffered[frame.HeaderLength + 2] >= 0x80)
                    {
                        Volatile.Write(ref _rejected, _rejected + 1);
                    }

                    Volatile.Write(ref _acked, _acked + 1);
                    break;
                case PacketType.PingResp:
                    _pingResponses++;
                    break;
                case PacketType.Disconnect:
                    throw new MqttProtocolException("The broker sent DISCONNECT to a publisher.");
                default:
                    break;
            }

            _connection.Consume(frame.TotalLength);
        }
    }

    /// <summary>
    /// QoS 0 gets no acks, so a PINGREQ marks the end: the broker answers it after reading every PUBLISH sent
    /// before it, which tells the runner the broker has taken all of them (not that it delivered them).
    /// </summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    private async ValueTask FinishAsync()
    {
        if (_template.Qos != 0)
        {
            return;
        }

        _connection.Write(PacketWriter.PingReq);
        var length = _connection.PendingSend;
        if (await _connection.FlushAsync() != length)
        {
            throw new MqttProtocolException("Short write on the socket.");
        }

        while (_pingResponses == 0)
        {
            await ReceiveAcksAsync();
        }
    }
}
