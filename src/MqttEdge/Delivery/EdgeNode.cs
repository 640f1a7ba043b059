using Bifro.Runtime.Messaging;

namespace Bifro.MqttEdge.Delivery;

/// <summary>This edge's identity in routes: its silo address, so that route entries say which node holds a connection.</summary>
internal sealed class EdgeNode(ILocalSiloDetails silo)
{
    public string Id { get; } = silo.SiloAddress.ToParsableString();
}
