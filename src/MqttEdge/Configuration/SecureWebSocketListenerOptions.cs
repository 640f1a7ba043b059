namespace Bifro.MqttEdge.Configuration;

/// <summary>The MQTT over secure WebSocket listener: "wss" on port 8443 and path "/mqtt", disabled by default.</summary>
public sealed class SecureWebSocketListenerOptions() : TlsListenerOptions("wss", 8443)
{
    /// <summary>The HTTP path of the WebSocket upgrade ("/mqtt" by default); other paths get 404.</summary>
    public string Path { get; set; } = "/mqtt";
}
