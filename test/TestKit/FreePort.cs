using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Bifro.TestKit;

/// <summary>
/// Free loopback ports for brokers started by tests. A port the system hands out for "any port" comes from
/// the range it also gives outgoing connections (Linux: net.ipv4.ip_local_port_range), and a broker binds
/// it seconds later, once its process has started: a cluster test's own connections (PostgreSQL, silos,
/// clients) took such a port in between now and then, and the node failed with "address already in use".
/// So on Linux the ports come from the range below that one, each tried before it is handed out; each test
/// process starts at a random point of it, so that test processes running side by side rarely meet.
/// </summary>
public static class FreePort
{
    private const int LowestPort = 10000;
    private static readonly (int Low, int High)? Range = BelowEphemeralRange();
    private static int _next = Range is { } range ? Random.Shared.Next(range.High - range.Low) : 0;

    public static int Next()
    {
        if (Range is not { } range)
        {
            return AnyPort();
        }

        for (var attempt = 0; attempt < range.High - range.Low; attempt++)
        {
            var port = range.Low + (int)((uint)Interlocked.Increment(ref _next) % (uint)(range.High - range.Low));
            if (IsFree(port))
            {
                return port;
            }
        }

        return AnyPort();
    }

    private static int AnyPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static bool IsFree(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    /// <summary>[LowestPort, start of the ephemeral range), or null where that range is unknown.</summary>
    private static (int Low, int High)? BelowEphemeralRange()
    {
        try
        {
            var fields = File.ReadAllText("/proc/sys/net/ipv4/ip_local_port_range").Split((char[])['\t', ' ', '\n'], StringSplitOptions.RemoveEmptyEntries);
            var start = int.Parse(fields[0], CultureInfo.InvariantCulture);
            return start - LowestPort >= 1000 ? (LowestPort, start) : null;
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            return null;
        }
    }
}
