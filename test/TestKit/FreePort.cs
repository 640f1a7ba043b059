using System.Net;
using System.Net.Sockets;

namespace Bifro.TestKit;

/// <summary>Free loopback ports for brokers started by tests.</summary>
public static class FreePort
{
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
