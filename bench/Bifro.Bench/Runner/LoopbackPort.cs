using System.Net;
using System.Net.Sockets;

namespace Bifro.Bench.Runner;

/// <summary>Finds a free TCP port on 127.0.0.1 and tells when something accepts connections on it.</summary>
internal static class LoopbackPort
{
    public static int FindFree()
    {
        // Port 0 makes the kernel pick a free one; the broker binds it a moment later.
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
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
