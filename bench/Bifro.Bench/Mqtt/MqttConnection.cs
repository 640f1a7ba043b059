using System.Buffers.Binary;
using System.Net.Security;
using System.Net.Sockets;
using System.Runtime.CompilerServices;

namespace Bifro.Bench.Mqtt;

/// <summary>
/// One MQTT client connection: a socket with a send buffer and a receive buffer of fixed size. The handshakes
/// are async methods here; the hot loops (in Load/) drive the buffers themselves, publishers with socket
/// <see cref="ValueTask"/>s backed by the socket's reusable event args, subscribers with blocking calls on
/// their own thread; neither allocates per message.
/// Not thread-safe: one loop owns a connection at a time; only <see cref="Dispose"/> may come from elsewhere.
/// Over TLS (<see cref="ConnectionSettings.Tls"/>) the same calls go through an <see cref="SslStream"/> on the
/// socket instead: its reads and writes are <see cref="ValueTask"/>s over pooled buffers too, so the loops stay
/// the same and what differs between a plain and a TLS run is the encryption, not the client's structure.
/// </summary>
internal sealed partial class MqttConnection : IDisposable
{
    private readonly Socket _socket;
    private readonly byte[] _send;
    private readonly byte[] _receive;
    private SslStream? _tls;
    private int _sendLength;
    private int _receiveStart;
    private int _receiveEnd;

    private MqttConnection(Socket socket, MqttVersion version, int sendBufferSize, int receiveBufferSize)
    {
        _socket = socket;
        Version = version;
        _send = new byte[sendBufferSize];
        _receive = new byte[receiveBufferSize];
    }

    public MqttVersion Version { get; }

    /// <summary>Receive Maximum from a 5.0 CONNACK (how many QoS 1 publishes may await PUBACK), else 65,535.</summary>
    public int ServerReceiveMaximum { get; private set; } = 65_535;

    public int SendCapacity => _send.Length;

    public int PendingSend => _sendLength;

    public int SendSpaceLeft => _send.Length - _sendLength;

    /// <summary>Bytes read from the socket and not yet consumed.</summary>
    public ReadOnlySpan<byte> Buffered => _receive.AsSpan(_receiveStart, _receiveEnd - _receiveStart);

    /// <summary>
    /// Bytes the kernel has ready, so a receive now would complete at once. Over TLS these are encrypted bytes: a
    /// record may be incomplete (the receive then waits for its rest, which is on its way), and a record the
    /// SslStream has already taken from the kernel is not counted, so a loop must not wait on this alone.
    /// </summary>
    public int Available => _socket.Available;

    /// <summary>The negotiated protocol and cipher suite, e.g. "Tls13 TLS_AES_256_GCM_SHA384"; null over plain TCP.</summary>
    public string? TlsDescription => _tls is null ? null : $"{_tls.SslProtocol} {_tls.NegotiatedCipherSuite}";

    /// <param name="socketSendBuffer">SO_SNDBUF in bytes, or 0 to leave the kernel's autotuning.</param>
    public static async Task<MqttConnection> OpenAsync(
        ConnectionSettings settings, string clientId, int sendBufferSize, int receiveBufferSize,
        int socketSendBuffer = 0, CancellationToken cancellationToken = default)
    {
        var socket = new Socket(settings.EndPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        if (socketSendBuffer > 0)
        {
            socket.SendBufferSize = socketSendBuffer;
        }
        var connection = new MqttConnection(socket, settings.Version, sendBufferSize, receiveBufferSize);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(settings.HandshakeTimeout);
        // Disposing the socket is what makes a pending socket operation give up; it also covers the connect.
        await using var abort = timeout.Token.UnsafeRegister(static s => ((Socket)s!).Dispose(), socket);
        try
        {
            await socket.ConnectAsync(settings.EndPoint, timeout.Token);
            if (settings.Tls is { } tls)
            {
                connection._tls = new SslStream(new NetworkStream(socket, ownsSocket: false));
                await connection._tls.AuthenticateAsClientAsync(tls.Options(), timeout.Token);
            }

            connection.Write(PacketWriter.Connect(settings.Version, clientId, settings.KeepAliveSeconds, cleanStart: true, settings.Credentials));
            await connection.FlushAllAsync();
            var frame = await connection.ReadFrameAsync();
            connection.CheckConnAck(frame);
            return connection;
        }
        catch (Exception e)
        {
            connection.Dispose();
            if (e is not MqttProtocolException && timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                throw new TimeoutException($"No CONNACK within {settings.HandshakeTimeout.TotalSeconds:0.#} s.", e);
            }

            throw;
        }
    }

    public async Task SubscribeAsync(string topicFilter, int qos, TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        await using var abort = cts.Token.UnsafeRegister(static s => ((Socket)s!).Dispose(), _socket);
        try
        {
            Write(PacketWriter.Subscribe(Version, 1, topicFilter, qos));
            await FlushAllAsync();
            var frame = await ReadFrameAsync();
            CheckSubAck(frame, topicFilter);
        }
        catch (Exception e) when (cts.IsCancellationRequested && e is not MqttProtocolException)
        {
            throw new TimeoutException($"No SUBACK within {timeout.TotalSeconds:0.#} s.", e);
        }
    }

    /// <summary>Returns room for <paramref name="size"/> bytes at the end of the send buffer.</summary>
    public Span<byte> GetSendSpan(int size) => _send.AsSpan(_sendLength, size);

    public void AdvanceSend(int count) => _sendLength += count;

    public void Write(ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(_send.AsSpan(_sendLength));
        _sendLength += bytes.Length;
    }

    /// <summary>
    /// Sends everything buffered. The caller must await it before writing again. On Linux a stream socket send
    /// completes only when all bytes are queued, so the count is the whole buffer unless the socket failed.
    /// </summary>
    public ValueTask<int> FlushAsync()
    {
        var pending = _send.AsMemory(0, _sendLength);
        _sendLength = 0;
        return _tls is null ? _socket.SendAsync(pending, SocketFlags.None) : WriteTlsAsync(_tls, pending);
    }

    /// <summary>Reads more bytes after the buffered ones; 0 means the broker closed the connection.</summary>
    public ValueTask<int> ReceiveAsync()
    {
        var free = PrepareReceive();
        var destination = _receive.AsMemory(free);
        return _tls is null ? _socket.ReceiveAsync(destination, SocketFlags.None) : _tls.ReadAsync(destination);
    }

    /// <summary>Records that <see cref="ReceiveAsync"/> filled <paramref name="count"/> bytes.</summary>
    public void Received(int count) => _receiveEnd += count;

    public void Consume(int count) => _receiveStart += count;

    /// <summary>Sends DISCONNECT, then waits briefly for the broker to close first so TIME_WAIT stays on its side.</summary>
    public async Task DisconnectAsync(TimeSpan wait)
    {
        try
        {
            _sendLength = 0;
            Write(PacketWriter.Disconnect);
            await FlushAllAsync();
            using var cts = new CancellationTokenSource(wait);
            while (await (_tls is null ? _socket.ReceiveAsync(_receive, SocketFlags.None, cts.Token) : _tls.ReadAsync(_receive, cts.Token)) > 0)
            {
            }
        }
        catch (Exception e) when (e is SocketException or IOException or OperationCanceledException or ObjectDisposedException)
        {
            // The broker went first or did not close in time; either way the connection is done.
        }
        finally
        {
            Dispose();
        }
    }

    /// <summary>True when the broker has closed the connection (readable with nothing to read). Idle connections only.</summary>
    public bool IsClosedByPeer()
    {
        try
        {
            return _socket.Poll(0, SelectMode.SelectRead) && _socket.Available == 0;
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            return true;
        }
    }

    public void Dispose()
    {
        _tls?.Dispose();
        _socket.Dispose();
    }

    /// <summary>Makes room after the buffered bytes and returns where it starts.</summary>
    private int PrepareReceive()
    {
        if (_receiveStart == _receiveEnd)
        {
            _receiveStart = _receiveEnd = 0;
        }
        else if (_receiveStart > 0)
        {
            // Only a partial packet is left: move it to the front so the next read has the whole tail.
            Buffer.BlockCopy(_receive, _receiveStart, _receive, 0, _receiveEnd - _receiveStart);
            _receiveEnd -= _receiveStart;
            _receiveStart = 0;
        }

        if (_receiveEnd == _receive.Length)
        {
            throw new MqttProtocolException($"A packet from the broker is larger than the {_receive.Length}-byte receive buffer.");
        }

        return _receiveEnd;
    }

    // SslStream.WriteAsync either writes everything or throws; the count keeps FlushAsync's contract. The
    // pooling builder: a write that waits for the kernel would otherwise allocate a state machine box.
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private static async ValueTask<int> WriteTlsAsync(SslStream tls, ReadOnlyMemory<byte> bytes)
    {
        await tls.WriteAsync(bytes);
        return bytes.Length;
    }

    private async Task FlushAllAsync()
    {
        var length = _sendLength;
        if (await FlushAsync() != length)
        {
            throw new MqttProtocolException("Short write on the socket.");
        }
    }

    private async Task<Frame> ReadFrameAsync()
    {
        while (true)
        {
            if (FrameReader.TryRead(Buffered, out var frame))
            {
                return frame;
            }

            var count = await ReceiveAsync();
            if (count == 0)
            {
                throw new MqttProtocolException("The broker closed the connection during the handshake.");
            }

            Received(count);
        }
    }

    private void CheckSubAck(Frame frame, string topicFilter)
    {
        if (frame.Type != PacketType.SubAck)
        {
            throw new MqttProtocolException($"Expected SUBACK, got {frame.Type}.");
        }

        var body = Buffered.Slice(frame.HeaderLength, frame.RemainingLength);
        var offset = 2; // packet identifier
        if (Version == MqttVersion.V500)
        {
            offset += FrameReader.ReadVarInt(body[offset..], out var propertiesLength) + propertiesLength;
        }

        // 3.1.1 answers 0x80 for failure; 5.0 uses reason codes of 0x80 and above [MQTT-3.9.3].
        if (body[offset] >= 0x80)
        {
            throw new MqttProtocolException($"SUBSCRIBE to {topicFilter} refused with 0x{body[offset]:X2}.");
        }

        Consume(frame.TotalLength);
    }

    private void CheckConnAck(Frame frame)
    {
        if (frame.Type != PacketType.ConnAck || frame.RemainingLength < 2)
        {
            throw new MqttProtocolException($"Expected CONNACK, got {frame.Type}.");
        }

        var body = Buffered.Slice(frame.HeaderLength, frame.RemainingLength);
        // 3.1.1: return code 0 is accepted [MQTT-3.2.2.3]; 5.0: reason codes below 0x80 are success.
        if (body[1] != 0)
        {
            throw new MqttProtocolException($"CONNECT refused with code 0x{body[1]:X2}.");
        }

        if (Version == MqttVersion.V500 && body.Length > 2)
        {
            var used = FrameReader.ReadVarInt(body[2..], out var length);
            ReadConnAckProperties(body.Slice(2 + used, length));
        }

        Consume(frame.TotalLength);
    }

    private void ReadConnAckProperties(ReadOnlySpan<byte> properties)
    {
        var i = 0;
        while (i < properties.Length)
        {
            var id = properties[i++];
            switch (id)
            {
                case 0x21: // Receive Maximum, two-byte integer [MQTT-3.2.2.3.3]
                    ServerReceiveMaximum = BinaryPrimitives.ReadUInt16BigEndian(properties[i..]);
                    i += 2;
                    break;
                case 0x24 or 0x25 or 0x28 or 0x29 or 0x2A: // byte properties
                    i += 1;
                    break;
                case 0x13 or 0x22: // two-byte integers
                    i += 2;
                    break;
                case 0x11 or 0x27: // four-byte integers
                    i += 4;
                    break;
                case 0x12 or 0x1A or 0x1C or 0x1F or 0x15 or 0x16: // strings and binary data
                    i += 2 + BinaryPrimitives.ReadUInt16BigEndian(properties[i..]);
                    break;
                case 0x26: // user property: a string pair
                    i += 2 + BinaryPrimitives.ReadUInt16BigEndian(properties[i..]);
                    i += 2 + BinaryPrimitives.ReadUInt16BigEndian(properties[i..]);
                    break;
                default:
                    return; // Unknown: stop reading rather than guess its size.
            }
        }
    }
}
