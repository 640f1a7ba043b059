using System.Diagnostics;
using System.Net.Sockets;
using Bifro.TestKit;

namespace Bifro.EndToEnd.Tests.Clients;

/// <summary>
/// A TCP client that sends bytes built by hand and reads what comes back, for what mosquitto_pub/sub
/// cannot express: malformed packets, silence, exact CONNACK and DISCONNECT codes. It knows framing and
/// nothing else; <see cref="RawMqtt"/> builds the packets.
/// </summary>
internal sealed class RawMqttClient : IAsyncDisposable
{
    private readonly TcpClient _tcp;
    private readonly Stream _stream;
    private readonly Stopwatch _connected = Stopwatch.StartNew();

    private RawMqttClient(TcpClient tcp, Stream? stream = null)
    {
        _tcp = tcp;
        _stream = stream ?? tcp.GetStream();
    }

    /// <summary>Time since the TCP connection was made.</summary>
    public TimeSpan Elapsed => _connected.Elapsed;

    public static async Task<RawMqttClient> ConnectAsync(BrokerProcess broker)
    {
        var tcp = new TcpClient { NoDelay = true };
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await tcp.ConnectAsync(broker.Host, broker.Port, cts.Token);
        return new RawMqttClient(tcp);
    }

    /// <summary>
    /// Connects to <paramref name="port"/>, sends <paramref name="preamble"/> (a PROXY protocol header) if any, then
    /// lets <paramref name="wrap"/> put a stream over the connection (TLS), which the client then talks through.
    /// </summary>
    public static async Task<RawMqttClient> ConnectAsync(string host, int port, byte[]? preamble = null, Func<Stream, Task<Stream>>? wrap = null)
    {
        var tcp = new TcpClient { NoDelay = true };
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await tcp.ConnectAsync(host, port, cts.Token);
        Stream stream = tcp.GetStream();
        if (preamble is not null)
        {
            await stream.WriteAsync(preamble, cts.Token);
        }

        if (wrap is not null)
        {
            stream = await wrap(stream);
        }

        return new RawMqttClient(tcp, stream);
    }

    /// <summary>Connects and sends CONNECT; returns the client with the broker's CONNACK.</summary>
    public static async Task<(RawMqttClient Client, RawPacket ConnAck)> ConnectAsync(BrokerProcess broker, byte[] connect)
    {
        var client = await ConnectAsync(broker);
        await client.SendAsync(connect);
        var connAck = await client.ReadAsync(TimeSpan.FromSeconds(10));
        if (connAck is not { Type: RawMqtt.ConnAck } packet)
        {
            await client.DisposeAsync();
            throw new InvalidOperationException($"Expected CONNACK, got {connAck?.ToString() ?? "the connection closed"}.\n--- broker\n{broker.Output}");
        }

        return (client, packet);
    }

    public async Task SendAsync(byte[] bytes)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await _stream.WriteAsync(bytes, cts.Token);
    }

    /// <summary>The next packet, or null once the broker has closed the connection; TimeoutException if neither comes in time.</summary>
    public async Task<RawPacket?> ReadAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            var header = new byte[1];
            if (!await ReadExactlyOrEndAsync(header, cts.Token))
            {
                return null;
            }

            // Remaining length: a variable byte integer of at most four bytes.
            var length = 0;
            for (var shift = 0; ; shift += 7)
            {
                var digit = new byte[1];
                if (shift > 21 || !await ReadExactlyOrEndAsync(digit, cts.Token))
                {
                    throw new InvalidDataException("The broker sent a bad remaining length.");
                }

                length |= (digit[0] & 0x7F) << shift;
                if ((digit[0] & 0x80) == 0)
                {
                    break;
                }
            }

            var body = new byte[length];
            if (!await ReadExactlyOrEndAsync(body, cts.Token))
            {
                throw new InvalidDataException("The broker closed the connection in the middle of a packet.");
            }

            return new RawPacket(header[0], body);
        }
        catch (OperationCanceledException) when (cts.IsCancellationRequested)
        {
            throw new TimeoutException($"Nothing from the broker within {timeout}.");
        }
    }

    /// <summary>Reads until the broker closes the connection: every packet it sent before closing.</summary>
    public async Task<IReadOnlyList<RawPacket>> ReadUntilClosedAsync(TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        var packets = new List<RawPacket>();
        while (true)
        {
            var left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero)
            {
                throw new TimeoutException($"The broker did not close the connection within {timeout}; it sent [{string.Join("; ", packets)}].");
            }

            RawPacket? packet;
            try
            {
                packet = await ReadAsync(left);
            }
            catch (TimeoutException)
            {
                throw new TimeoutException($"The broker did not close the connection within {timeout}; it sent [{string.Join("; ", packets)}].");
            }

            if (packet is null)
            {
                return packets;
            }

            packets.Add(packet.Value);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stream.DisposeAsync();
        _tcp.Dispose();
    }

    private async Task<bool> ReadExactlyOrEndAsync(byte[] buffer, CancellationToken cancellationToken)
    {
        try
        {
            var read = 0;
            while (read < buffer.Length)
            {
                var n = await _stream.ReadAsync(buffer.AsMemory(read), cancellationToken);
                if (n == 0)
                {
                    return false;
                }

                read += n;
            }

            return true;
        }
        catch (IOException exception) when (exception.InnerException is SocketException)
        {
            // A reset is a close too (the broker aborted the connection).
            return false;
        }
    }
}
