using System.Net.Security;
using System.Net.Sockets;

namespace Bifro.Bench.Mqtt;

/// <summary>
/// Connections for loops that own a thread (subscribers). .NET puts a socket in non-blocking mode for good at
/// its first async operation and then emulates blocking calls with a wait object per call, so these sockets
/// never see an async call: handshake and loop are blocking, with SO_RCVTIMEO as the timeout. Over TLS the
/// blocking calls go through the SslStream, whose reads then fail with an <see cref="IOException"/> around the
/// timed-out <see cref="SocketException"/>; a record cut by the timeout stays in the SslStream's buffer and the
/// next read goes on with it.
/// </summary>
internal sealed partial class MqttConnection
{
    /// <summary>How long a blocking receive waits before the loop gets a chance to notice it should stop.</summary>
    public static readonly TimeSpan BlockingPollInterval = TimeSpan.FromSeconds(1);

    public static MqttConnection OpenBlocking(ConnectionSettings settings, string clientId, int sendBufferSize, int receiveBufferSize)
    {
        var timeout = (int)settings.HandshakeTimeout.TotalMilliseconds;
        var socket = new Socket(settings.EndPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp)
        {
            NoDelay = true,
            ReceiveTimeout = timeout,
            SendTimeout = timeout,
        };
        var connection = new MqttConnection(socket, settings.Version, sendBufferSize, receiveBufferSize);
        try
        {
            // A loopback connect is answered at once (accept or refuse), so it needs no timeout of its own.
            socket.Connect(settings.EndPoint);
            if (settings.Tls is { } tls)
            {
                connection._tls = new SslStream(new NetworkStream(socket, ownsSocket: false));
                connection._tls.AuthenticateAsClient(tls.Options());
            }

            connection.Write(PacketWriter.Connect(settings.Version, clientId, settings.KeepAliveSeconds, cleanStart: true, settings.Credentials));
            connection.FlushAll();
            connection.CheckConnAck(connection.ReadFrame("CONNACK"));
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    public void Subscribe(string topicFilter, int qos)
    {
        Write(PacketWriter.Subscribe(Version, 1, topicFilter, qos));
        FlushAll();
        CheckSubAck(ReadFrame("SUBACK"), topicFilter);
        _socket.ReceiveTimeout = (int)BlockingPollInterval.TotalMilliseconds;
    }

    /// <summary>
    /// Blocking receive after the buffered bytes: the count read, 0 when the broker closed the connection,
    /// or -1 when nothing came within <see cref="BlockingPollInterval"/>.
    /// </summary>
    public int Receive()
    {
        var free = PrepareReceive();
        if (_tls is not null)
        {
            try
            {
                return _tls.Read(_receive, free, _receive.Length - free);
            }
            catch (IOException e) when (e.InnerException is SocketException { SocketErrorCode: SocketError.TimedOut or SocketError.WouldBlock })
            {
                return -1;
            }
        }

        var count = _socket.Receive(_receive, free, _receive.Length - free, SocketFlags.None, out var error);
        return error switch
        {
            SocketError.Success => count,
            SocketError.TimedOut or SocketError.WouldBlock => -1,
            _ => throw new SocketException((int)error),
        };
    }

    /// <summary>Blocking flush of the send buffer; returns the bytes sent.</summary>
    public int Flush()
    {
        var length = _sendLength;
        _sendLength = 0;
        if (_tls is not null)
        {
            _tls.Write(_send, 0, length); // all of it, or an exception
            return length;
        }

        return _socket.Send(_send, 0, length, SocketFlags.None);
    }

    /// <summary>Sends a constant packet without touching the send buffer, which the owning loop may be using.</summary>
    public void SendOutOfBand(byte[] packet)
    {
        if (_tls is not null)
        {
            _tls.Write(packet);
            return;
        }

        _socket.Send(packet, SocketFlags.None);
    }

    private void FlushAll()
    {
        var length = _sendLength;
        if (Flush() != length)
        {
            throw new MqttProtocolException("Short write on the socket.");
        }
    }

    private Frame ReadFrame(string expected)
    {
        while (true)
        {
            if (FrameReader.TryRead(Buffered, out var frame))
            {
                return frame;
            }

            int count;
            try
            {
                var free = PrepareReceive();
                count = _tls is null
                    ? _socket.Receive(_receive, free, _receive.Length - free, SocketFlags.None)
                    : _tls.Read(_receive, free, _receive.Length - free);
            }
            catch (Exception e) when ((e as SocketException ?? e.InnerException as SocketException)?.SocketErrorCode is SocketError.TimedOut or SocketError.WouldBlock)
            {
                throw new TimeoutException($"No {expected} within {_socket.ReceiveTimeout / 1000.0:0.#} s.", e);
            }

            if (count == 0)
            {
                throw new MqttProtocolException($"The broker closed the connection before {expected}.");
            }

            Received(count);
        }
    }
}
