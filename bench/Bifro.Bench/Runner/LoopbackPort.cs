using System.Net;
using System.Net.Sockets;

namespace Bifro.Bench.Runner;

/// <summary>Finds a free TCP port on 127.0.0.1 and tells when something accepts connections on it.</summary>
internal static class LoopbackPort
{
    public static int FindFree() => FindFree(1)[0];

    /// <summary><paramref name="count"/> different free ports: each is held until all are found.</summary>
    public static int[] FindFree(int count)
    {
        // Port 0 makes the kernel pick a free one; the broker binds it a moment later.
        var listeners = new TcpListener[count];
        try
        {
            for (var i = 0; i < count; i++)
            {
                listeners[i] = new TcpListener(IPAddress.Loopback, 0);
                listeners[i].Start();
            }

            return Array.ConvertAll(listeners, l => ((IPEndPoint)l.LocalEndpoint).Port);
        }
        finally
        {
            foreach (var listener in listeners)
            {
                listener?.Dispose();
            }
        }
    }

    public static async Task<bool> AcceptsAsync(int port, TimeSpan timeout)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port), cts.Token);
            return true;
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException)
        {
            return false;
        }
    }
}
