namespace Bifro.MqttEdge.Configuration;

/// <summary>The MQTT over WebSocket listener: "ws" on port 8080 and path "/mqtt", disabled by default.</summary>
public sealed class WebSocketListenerOptions() : MqttListenerOptions("ws", 8080, enabled: false)
{
    /// <summary>The HTTP path of the WebSocket upgrade ("/mqtt" by default); other paths get 404.</summary>
    public string Path { get; set; } = "/mqtt";
}
