using Bifro.Bench.Mqtt;

namespace Bifro.Bench.Load;

/// <summary>
/// A subscribed connection with one receive loop: read whatever the socket has, record every PUBLISH in the
/// counters of the phase stamped in its payload, queue a PUBACK for QoS 1, and send all acks of the batch in
/// one write before reading again.
/// </summary>
/// <remarks>
/// With few subscribers the loop runs on its own thread with blocking socket calls. The subscriber is the
/// instrument: if it falls behind, the broker queues and every latency grows. On the thread pool it waited
/// behind ten publisher loops whose sends and receives complete synchronously for long stretches (two threads
/// on two cores), and phase A showed 0.2–2 s latency spikes that a subscriber in a separate process never
/// saw. A thread of its own is scheduled by the kernel like any other process. With many subscribers (fanout)
/// that would mean a hundred thread wake-ups per message, CPU taken from the broker, and there is a single
/// publisher to compete with, so those run as async loops on the pool (<see cref="UseDedicatedThreads"/>).
/// </remarks>
internal sealed class Subscriber
{
    private readonly MqttConnection _connection;
    private readonly PhaseCounters[] _phases;
    private volatile bool _stopping;
    private volatile bool _ended;
    private long _foreign;

    public Subscriber(MqttConnection connection, int phaseCount)
    {
        _connection = connection;
        _phases = new PhaseCounters[phaseCount];
        for (var i = 0; i < phaseCount; i++)
        {
            _phases[i] = new PhaseCounters();
        }
    }

    /// <summary>Messages whose payload was not stamped by this run (wrong size or unknown phase).</summary>
    public long Foreign => Interlocked.Read(ref _foreign);

    /// <summary>The loop has stopped: the broker closed the connection, or it failed.</summary>
    public bool Ended => _ended;

    /// <summary>Why the loop stopped, when that was not asked for.</summary>
    public Exception? Error { get; private set; }

    public PhaseCounters Phase(byte phase) => _phases[phase];

    /// <summary>Up to this many subscribers get a thread each; above it they share the thread pool.</summary>
    public const int MaxDedicatedThreads = 16;

    public static bool UseDedicatedThreads(int subscribers) => subscribers <= MaxDedicatedThreads;

    /// <summary>
    /// Starts the loop: on a dedicated thread for a connection from <see cref="MqttConnection.OpenBlocking"/>,
    /// else on the thread pool. The task completes when the loop ends.
    /// </summary>
    public Task RunAsync(bool dedicatedThread)
    {
        if (!dedicatedThread)
        {
            return Task.Run(RunLoopAsync);
        }

        var ended = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() =>
        {
            RunLoop();
            ended.SetResult();
        })
        {
            IsBackground = true,
            Name = "bifro-bench subscriber",
        };
        thread.Start();
        return ended.Task;
    }

    /// <summary>
    /// Sends DISCONNECT from outside the loop. That is safe only when no messages are arriving (so the loop is
    /// parked in a receive and not writing acks), which is when the runner stops a scenario; the broker then
    /// closes the connection and the loop ends on its own.
    /// </summary>
    public async Task StopAsync(Task loop, TimeSpan wait)
    {
        _stopping = true;
        try
        {
            _connection.SendOutOfBand(PacketWriter.DisconnectPacket);
            await loop.WaitAsync(wait);
        }
        catch (Exception e) when (e is TimeoutException or System.Net.Sockets.SocketException or IOException or ObjectDisposedException)
        {
            // The broker did not close in time or the socket is already gone: closing it ourselves is enough.
        }
        finally
        {
            _connection.Dispose();
        }
    }

    public void Abort()
    {
        _stopping = true;
        _connection.Dispose();
    }

    private void RunLoop()
    {
        try
        {
            while (true)
            {
                var count = _connection.Receive();
                if (count < 0)
                {
                    if (_stopping)
                    {
                        return;
                    }

                    continue; // Nothing for a while; the runner decides whether that is a failure.
                }

                if (count == 0)
                {
                    if (!_stopping)
                    {
                        Error = new MqttProtocolException("The broker closed the subscriber's connection.");
                    }

                    return;
                }

                _connection.Received(count);
                var receivedAt = Clock.Now;
                bool more;
                do
                {
                    more = Drain(receivedAt);
                    if (_connection.PendingSend > 0 && !_stopping)
                    {
                        var length = _connection.PendingSend;
                        if (_connection.Flush() != length)
                        {
                            throw new MqttProtocolException("Short write on the socket.");
                        }
                    }
                }
                while (more);
            }
        }
        catch (Exception e)
        {
            if (!_stopping)
            {
                Error = e;
            }
        }
        finally
        {
            _ended = true;
        }
    }

    private async Task RunLoopAsync()
    {
        try
        {
            while (true)
            {
                var count = await _connection.ReceiveAsync();
                if (count == 0)
                {
                    if (!_stopping)
                    {
                        Error = new MqttProtocolException("The broker closed the subscriber's connection.");
                    }

                    return;
                }

                _connection.Received(count);
                var receivedAt = Clock.Now;
                bool more;
                do
                {
                    more = Drain(receivedAt);
                    if (_connection.PendingSend > 0 && !_stopping)
                    {
                        var length = _connection.PendingSend;
                        if (await _connection.FlushAsync() != length)
                        {
                            throw new MqttProtocolException("Short write on the socket.");
                        }
                    }
                }
                while (more);
            }
        }
        catch (Exception e)
        {
            if (!_stopping)
            {
                Error = e;
            }
        }
        finally
        {
            _ended = true;
        }
    }

    /// <summary>Handles every complete packet buffered; returns true if it stopped early because the ack buffer is full.</summary>
    private bool Drain(long receivedAt)
    {
        while (FrameReader.TryRead(_connection.Buffered, out var frame))
        {
            var body = _connection.Buffered.Slice(frame.HeaderLength, frame.RemainingLength);
            switch (frame.Type)
            {
                case PacketType.Publish:
                    var qos = (frame.Flags >> 1) & 0x03;
                    if (qos == 1 && _connection.SendSpaceLeft < PacketWriter.PubAckLength)
                    {
                        return true;
                    }

                    var payload = FrameReader.PublishPayload(body, qos, _connection.Version, out var packetId);
                    Record(payload, receivedAt);
                    if (qos == 1)
                    {
                        PacketWriter.WritePubAck(_connection.GetSendSpan(PacketWriter.PubAckLength), packetId);
                        _connection.AdvanceSend(PacketWriter.PubAckLength);
                    }
                    else if (qos == 2)
                    {
                        // Subscriptions here are QoS 0 or 1, so the broker must not send QoS 2 [MQTT-3.8.4-6].
                        throw new MqttProtocolException("Broker delivered QoS 2 on a QoS 0/1 subscription.");
                    }

                    break;
                case PacketType.Disconnect:
                    throw new MqttProtocolException("The broker sent DISCONNECT to a subscriber.");
                default:
                    break; // PINGRESP and anything else carry nothing we measure.
            }

            _connection.Consume(frame.TotalLength);
        }

        return false;
    }

    private void Record(ReadOnlySpan<byte> payload, long receivedAt)
    {
        if (payload.Length >= Payload.MinimumSize)
        {
            var phase = Payload.Phase(payload);
            if (phase < _phases.Length)
            {
                _phases[phase].Record(receivedAt, Payload.Timestamp(payload));
                return;
            }
        }

        Interlocked.Increment(ref _foreign);
    }
}
