using System.Buffers;
using System.IO.Pipelines;
using System.Net;
using Bifro.Grains;
using Bifro.MqttEdge.Codec;
using Bifro.MqttEdge.Codec.Framing;
using Bifro.MqttEdge.Delivery;
using Bifro.MqttEdge.Listeners;
using Microsoft.AspNetCore.Connections;

namespace Bifro.MqttEdge.Connection;

/// <summary>
/// One client connection: the read loop decodes every complete packet in the buffer and handles it in
/// order; packets to the client go through one outbound queue drained by a single writer. Other
/// connections deliver into that queue from their own threads. Partial files hold each flow.
/// </summary>
internal sealed partial class MqttConnection : IInboxConsumer, IBackpressureSource
{
    private readonly EdgeServices _edge;
    private readonly ConnectionContext _transport;
    private readonly IMqttListenerFeature _listener;
    private readonly PipeReader _input;
    private readonly PipeWriter _output;

    private ConnectionPhase _phase;
    private ProtocolVersion _version = ProtocolVersion.Mqtt311;
    private long _startedTicks;
    private long _lastReceivedTicks;
    private int _keepAliveMilliseconds;
    private DetachReason _detachReason = DetachReason.Abnormal;
    private uint? _disconnectSessionExpiry;
    private TaskCompletionSource? _finished;

    public MqttConnection(EdgeServices edge, ConnectionContext transport, IMqttListenerFeature listener)
    {
        _edge = edge;
        _transport = transport;
        _listener = listener;
        _input = transport.Transport.Input;
        _output = transport.Transport.Output;
        Id = edge.Connections.NextId();
        _startedTicks = Environment.TickCount64;
        _lastReceivedTicks = _startedTicks;
    }

    public long Id { get; }

    /// <summary>"{tenant}/{clientId}" once CONNECT is accepted.</summary>
    public string? SessionKey { get; private set; }

    /// <summary>This connection's ownership of its session; deliveries check it.</summary>
    public long Epoch { get; private set; }

    public ProtocolVersion Version => _version;

    /// <summary>The client's address: from the PROXY protocol header when the listener takes one, else the socket's.</summary>
    public EndPoint? RemoteEndPoint => _listener.RemoteEndPoint ?? _transport.RemoteEndPoint;

    /// <summary>The listener, the client's address and its TLS client certificate, for authentication.</summary>
    public ClientEndpointInfo ClientEndpointInfo =>
        new(_listener.ListenerName, RemoteEndPoint, _listener.ClientCertificate, _listener.ClientCertificateChain);

    public bool IsClosed => _phase >= ConnectionPhase.Closing;

    // The connection locks on itself (one object fewer per idle connection) to guard the phase, the
    // outbound queues and the outbound in-flight state, which other threads touch.
    private object _sync => this;

    /// <summary>Reads and handles packets until the client or the server closes the connection.</summary>
    public async Task RunAsync()
    {
        // An idle connection waits in this loop; it keeps only what the await needs, so the state
        // machine that every idle connection holds stays small. The packets are handled elsewhere.
        _edge.Connections.Add(this);
        try
        {
            while (true)
            {
                var result = await _input.ReadAsync().ConfigureAwait(false);
                var handling = HandleReadAsync(result);
                var keepReading = handling.IsCompletedSuccessfully ? handling.Result : await handling.ConfigureAwait(false);
                if (!keepReading)
                {
                    break;
                }
            }
        }
        catch (Exception exception) when (exception is IOException or ConnectionResetException or ConnectionAbortedException or OperationCanceledException)
        {
            // The network went away: an abnormal loss, so the will is published.
        }
        catch (Exception exception)
        {
            LogLoopFailed(_edge.Logger, exception, RemoteEndPoint);
        }
        finally
        {
            await CleanupAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Handles every complete packet of one read; false when the connection must close.</summary>
    private async ValueTask<bool> HandleReadAsync(ReadResult result)
    {
        var buffer = result.Buffer;
        _lastReceivedTicks = Environment.TickCount64;
        var keepReading = true;
        try
        {
            // A congested subscriber stops this loop right after the packet that found it so: the rest
            // stays unread in the pipe, and waiting publishers take short, fair turns as it drains.
            while (keepReading && !IsClosed && _congested is null)
            {
                var status = FrameReader.TryReadFrame(ref buffer, _edge.Options.MaxPacketSize, out var frame);
                if (status == FrameStatus.Incomplete)
                {
                    break;
                }

                if (status != FrameStatus.Complete)
                {
                    // [MQTT-4.13.1-1] Malformed remaining length: 0x81; over our Maximum Packet Size: 0x95.
                    var tooLarge = status == FrameStatus.TooLarge;
                    LogBadFrame(_edge.Logger, status, RemoteEndPoint);
                    var why = tooLarge ? $"A packet larger than {_edge.Options.MaxPacketSize} bytes." : "Malformed remaining length.";
                    if (_phase == ConnectionPhase.Connected)
                    {
                        SetCloseCause(EventType.BadPacket, tooLarge ? ReasonCode.PacketTooLarge : ReasonCode.MalformedPacket, why, "MQTT-4.13.1-1");
                    }
                    else if (_phase < ConnectionPhase.Closing)
                    {
                        ReportRefused(EventType.ProtocolError, null, why, "MQTT-4.13.1-1");
                    }

                    Close(
                        tooLarge ? ReasonCode.PacketTooLarge : ReasonCode.MalformedPacket,
                        tooLarge ? $"Packets are limited to {_edge.Options.MaxPacketSize} bytes." : "Malformed remaining length.",
                        DetachReason.Abnormal);
                    keepReading = false;
                    break;
                }

                var handled = HandleFrameAsync(frame);
                keepReading = handled.IsCompletedSuccessfully ? handled.Result : await handled.ConfigureAwait(false);
            }
        }
        finally
        {
            // Stopped for back-pressure with whole packets still unread: leave them unexamined too, so
            // that the next read returns them at once rather than waiting for more bytes.
            if (_congested is not null)
            {
                _input.AdvanceTo(buffer.Start);
            }
            else
            {
                _input.AdvanceTo(buffer.Start, buffer.End);
            }
        }

        FlushInboxAcknowledgements();
        var unreadPackets = false;
        if (_congested is not null)
        {
            // Paused for back-pressure with packets still in the pipe. A client that sent its last packets and
            // closed (mosquitto_pub -l at the end of its input) has completed the pipe: those packets are
            // still to be handled, the next read returns them.
            unreadPackets = !buffer.IsEmpty;
            await WaitForCongestedSubscribersAsync().ConfigureAwait(false);
        }

        return keepReading && !IsClosed && !result.IsCanceled && (!result.IsCompleted || unreadPackets);
    }

    /// <summary>Completes when the connection has finished closing.</summary>
    public Task Finished
    {
        get
        {
            lock (_sync)
            {
                if (_phase == ConnectionPhase.Closed)
                {
                    return Task.CompletedTask;
                }

                return (_finished ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task;
            }
        }
    }

    private ValueTask<bool> HandleFrameAsync(in Frame frame)
    {
        if (_phase == ConnectionPhase.AwaitingConnect)
        {
            if (frame.Type != PacketType.Connect)
            {
                // [MQTT-3.1.0-1] The first packet must be CONNECT; anything else closes the connection.
                LogNotConnect(_edge.Logger, frame.Type, RemoteEndPoint);
                ReportRefused(EventType.ProtocolError, null, $"The first packet was {frame.Type}, not CONNECT.", "MQTT-3.1.0-1");
                Close(null, null, DetachReason.Abnormal);
                return new ValueTask<bool>(false);
            }

            return HandleConnect(frame);
        }

        if (_phase == ConnectionPhase.Authenticating && frame.Type is not (PacketType.Auth or PacketType.Disconnect))
        {
            // [MQTT-3.1.2-30] Before CONNACK a client in enhanced authentication sends only AUTH or DISCONNECT.
            return new ValueTask<bool>(ProtocolViolation(ReasonCode.ProtocolError, "MQTT-3.1.2-30", $"{frame.Type} during enhanced authentication"));
        }

        using var body = FrameReader.GetBody(frame);
        switch (frame.Type)
        {
            case PacketType.Publish:
                return HandlePublish(frame.Flags, body.Span);
            case PacketType.PubAck:
                return new ValueTask<bool>(HandlePubAck(frame.Flags, body.Span));
            case PacketType.PubRec:
                return new ValueTask<bool>(HandlePubRec(frame.Flags, body.Span));
            case PacketType.PubRel:
                return new ValueTask<bool>(HandlePubRel(frame.Flags, body.Span));
            case PacketType.PubComp:
                return new ValueTask<bool>(HandlePubComp(frame.Flags, body.Span));
            case PacketType.Subscribe:
                return HandleSubscribe(frame.Flags, body.Span);
            case PacketType.Unsubscribe:
                return HandleUnsubscribe(frame.Flags, body.Span);
            case PacketType.PingReq:
                return new ValueTask<bool>(HandlePingReq(frame.Flags, body.Span));
            case PacketType.Disconnect:
                return new ValueTask<bool>(HandleDisconnect(frame.Flags, body.Span));
            case PacketType.Auth:
                return HandleAuth(frame.Flags, body.Span);
            case PacketType.Connect:
                // [MQTT-3.1.0-2] A second CONNECT is a protocol error.
                return new ValueTask<bool>(ProtocolViolation(ReasonCode.ProtocolError, "MQTT-3.1.0-2", "A second CONNECT"));
            default:
                // Packets only a server sends (CONNACK, SUBACK, UNSUBACK, PINGRESP) and type 0.
                return new ValueTask<bool>(ProtocolViolation(
                    frame.Type == PacketType.Reserved ? ReasonCode.MalformedPacket : ReasonCode.ProtocolError, "MQTT-2.1.2", $"A client sent {frame.Type}"));
        }
    }

    /// <summary>A decoding or protocol error: 5.0 clients get DISCONNECT with the reason, 3.x connections just close.</summary>
    private bool ProtocolViolation(in DecodeError error)
    {
        LogProtocolViolation(_edge.Logger, error.Statement, error.Message, RemoteEndPoint);
        if (_phase == ConnectionPhase.Connected)
        {
            SetCloseCause(DisconnectTypeOf(error), error.ReasonCode, error.Message, error.Statement);
        }
        else if (_phase < ConnectionPhase.Closing)
        {
            // Before CONNACK (an AUTH exchange): the CONNECT is refused.
            ReportRefused(EventType.ProtocolError, error.ReasonCode, error.Message, error.Statement);
        }

        Close(error.ReasonCode, error.Message, DetachReason.Abnormal);
        return false;
    }

    private bool ProtocolViolation(ReasonCode code, string statement, string message) =>
        ProtocolViolation(new DecodeError(code, statement, message));

    /// <summary>
    /// Closes the connection from the server side. A 5.0 client that completed CONNECT first gets
    /// DISCONNECT with <paramref name="reason"/> [MQTT-4.13.1-1]; 3.x clients are simply disconnected.
    /// </summary>
    public void Close(ReasonCode? reason, string? reasonString, DetachReason detach)
    {
        lock (_sync)
        {
            if (_phase >= ConnectionPhase.Closing)
            {
                return;
            }

            var connected = _phase == ConnectionPhase.Connected;
            _phase = ConnectionPhase.Closing;
            _detachReason = detach;
            if (reason is { } code && connected && _version == ProtocolVersion.Mqtt500)
            {
                _control.Enqueue(new OutboundEntry { Kind = OutboundKind.Disconnect, Reason = code, ReasonString = reasonString });
                StartDrainLocked();
            }
        }

        _input.CancelPendingRead();
    }

    /// <summary>Closes the connection without a word (a client that stopped reading, a failed attach).</summary>
    public void Abort(DetachReason detach)
    {
        lock (_sync)
        {
            if (_phase < ConnectionPhase.Closing)
            {
                _phase = ConnectionPhase.Closing;
                _detachReason = detach;
            }
        }

        _input.CancelPendingRead();
        _transport.Abort(new ConnectionAbortedException("Closed by the server."));
    }

    private async Task CleanupAsync()
    {
        lock (_sync)
        {
            if (_phase < ConnectionPhase.Closing)
            {
                _phase = ConnectionPhase.Closing;
            }
        }

        // A final DISCONNECT may still be in the queue; give the writer a moment to send it.
        await WaitForWriterAsync(TimeSpan.FromSeconds(1)).ConfigureAwait(false);

        // Reported before the session hears of it, so that this connection's events come before the session's.
        ReportDisconnected();
        try
        {
            await DetachSessionAsync().ConfigureAwait(false);
        }
        catch (Exception exception)
        {
            LogDetachFailed(_edge.Logger, exception, SessionKey);
        }

        _edge.Metrics.OnClosed(this);
        _edge.Connections.Remove(this);
        List<PublishMessage>? release;
        lock (_sync)
        {
            _phase = ConnectionPhase.Closed;
            release = DrainQueuesForRelease();
            _finished?.TrySetResult();
        }

        foreach (var message in release ?? [])
        {
            message.Release();
        }

        await _output.CompleteAsync().ConfigureAwait(false);
        await _input.CompleteAsync().ConfigureAwait(false);
    }
}
