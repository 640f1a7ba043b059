using System.Net;

namespace Bifro.Bench.Mqtt;

/// <summary>Where and how every connection of a run connects.</summary>
internal sealed record ConnectionSettings(
    IPEndPoint EndPoint,
    MqttVersion Version,
    ushort KeepAliveSeconds,
    TimeSpan HandshakeTimeout)
{
    /// <summary>TLS towards the broker; null for plain TCP.</summary>
    public TlsClientSettings? Tls { get; init; }

    /// <summary>User name and password sent in every CONNECT; null for anonymous clients.</summary>
    public MqttCredentials? Credentials { get; init; }

    /// <summary>Resolves <paramref name="host"/> once, so thousands of connects do not each ask DNS.</summary>
    public static ConnectionSettings Create(string host, int port, MqttVersion version, ushort keepAliveSeconds, TimeSpan handshakeTimeout)
    {
        if (!IPAddress.TryParse(host, out var address))
        {
            address = Array.Find(Dns.GetHostAddresses(host), a => a.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork)
                ?? throw new ArgumentException($"Host {host} has no IPv4 address.");
        }

        return new ConnectionSettings(new IPEndPoint(address, port), version, keepAliveSeconds, handshakeTimeout);
    }
}
