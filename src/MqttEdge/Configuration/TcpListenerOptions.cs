namespace Bifro.MqttEdge.Configuration;

/// <summary>The plain TCP listener: "tcp" on port 1883, enabled by default.</summary>
public sealed class TcpListenerOptions() : MqttListenerOptions("tcp", 1883, enabled: true);
