using System.Buffers.Binary;
using System.Net.Sockets;
using System.Text;

namespace Bifro.EndToEnd.Tests.Cluster;

/// <summary>
/// A test-only peer of the silo transport: it opens a plain TCP connection to a silo or gateway port and
/// sends the handshake a node would (src/Runtime/Transport/ConnectionPreamble: "BIFR", protocol version,
/// role, then ClusterId, ServiceId and identity as UTF-8 strings with a 16-bit little-endian length),
/// written out here so that the test depends on the wire format, not on the broker's code.
/// </summary>
internal static class RawSiloPeer
{
    public const byte Silo = 1;
    public const byte Client = 2;

    public static byte[] Preamble(byte role, string clusterId, string serviceId, string identity)
    {
        var bytes = new List<byte>(Encoding.ASCII.GetBytes("BIFR")) { 1, role };
        foreach (var part in new[] { clusterId, serviceId, identity })
        {
            var utf8 = Encoding.UTF8.GetBytes(part);
            var length = new byte[2];
            BinaryPrimitives.WriteUInt16LittleEndian(length, (ushort)utf8.Length);
            bytes.AddRange(length);
            bytes.AddRange(utf8);
        }

        return bytes.ToArray();
    }

    /// <summary>Reads a preamble from the start of <paramref name="bytes"/>; Length is how many bytes it took.</summary>
    public static (string ClusterId, string ServiceId, string Identity, int Length) ParsePreamble(byte[] bytes)
    {
        if (bytes.Length < 6 || Encoding.ASCII.GetString(bytes, 0, 4) != "BIFR")
        {
            throw new InvalidDataException($"Not a preamble: {Convert.ToHexString(bytes)}");
        }

        var offset = 6;
        var parts = new string[3];
        for (var i = 0; i < 3; i++)
        {
            var length = BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(offset));
            parts[i] = Encoding.UTF8.GetString(bytes, offset + 2, length);
            offset += 2 + length;
        }

        return (parts[0], parts[1], parts[2], offset);
    }

    /// <summary>
    /// Sends <paramref name="preamble"/> (and, after it, <paramref name="then"/>, such as the start of a frame)
    /// and reads until the node closes the connection or <paramref name="timeout"/> passes. Returns what the node
    /// sent, and whether it closed the connection.
    /// </summary>
    public static async Task<(byte[] Received, bool Closed)> ExchangeAsync(int port, byte[] preamble, byte[] then, TimeSpan timeout)
    {
        using var client = new TcpClient();
        await client.ConnectAsync("127.0.0.1", port);
        var stream = client.GetStream();
        await stream.WriteAsync(preamble);
        await stream.WriteAsync(then);
        var received = new List<byte>();
        var buffer = new byte[4096];
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            while (true)
            {
                var read = await stream.ReadAsync(buffer, cts.Token);
                if (read == 0)
                {
                    return (received.ToArray(), true);
                }

                received.AddRange(buffer.AsSpan(0, read).ToArray());
            }
        }
        catch (IOException)
        {
            // Reset by the node: closed too.
            return (received.ToArray(), true);
        }
        catch (OperationCanceledException)
        {
            return (received.ToArray(), false);
        }
    }
}
