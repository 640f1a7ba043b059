namespace Bifro.MqttEdge.Configuration;

/// <summary>What every MQTT listener has: a name, an enable flag, an address and port, and the PROXY protocol switch.</summary>
public abstract class MqttListenerOptions
{
    private protected MqttListenerOptions(string name, int port, bool enabled)
    {
        Name = name;
        Port = port;
        Enabled = enabled;
    }

    /// <summary>The listener's name in logs, and what auth providers are told ("tcp", "tls", "ws" or "wss" by default).</summary>
    public string Name { get; set; }

    /// <summary>Whether the listener is opened (only the TCP listener is, by default).</summary>
    public bool Enabled { get; set; }

    /// <summary>The address to listen on ("0.0.0.0" by default; "::" for IPv4 and IPv6).</summary>
    public string BindAddress { get; set; } = "0.0.0.0";

    /// <summary>The port (1883, 8883, 8080 and 8443 by default; 0 picks a free one).</summary>
    public int Port { get; set; }

    /// <summary>
    /// When true, every connection must begin with a PROXY protocol v1 or v2 header (sent by a load balancer),
    /// whose source address becomes the client's address; a connection without a valid one is closed.
    /// False by default.
    /// </summary>
    public bool ProxyProtocol { get; set; }
}
