using Bifro.MqttEdge.Connection;
using Microsoft.AspNetCore.Connections;

namespace Bifro.MqttEdge.Listeners;

/// <summary>Kestrel hands each accepted connection here; it runs as an MQTT connection until closed.</summary>
internal sealed class MqttConnectionHandler(EdgeServices edge) : ConnectionHandler
{
    public override Task OnConnectedAsync(ConnectionContext connection) => new MqttConnection(edge, connection).RunAsync();
}
