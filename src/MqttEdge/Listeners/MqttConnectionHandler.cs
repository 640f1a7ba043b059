using Bifro.MqttEdge.Connection;
using Microsoft.AspNetCore.Connections;

namespace Bifro.MqttEdge.Listeners;

/// <summary>Kestrel hands each connection accepted by one listener here; it runs as an MQTT connection until closed.</summary>
internal sealed class MqttConnectionHandler(EdgeServices edge, string listenerName) : ConnectionHandler
{
    // What a connection that passed no listener middleware (plain TCP) knows: only the listener's name.
    private readonly MqttListenerFeature _plain = new(listenerName);

    public override Task OnConnectedAsync(ConnectionContext connection) =>
        new MqttConnection(edge, connection, connection.Features.Get<IMqttListenerFeature>() ?? _plain).RunAsync();
}
