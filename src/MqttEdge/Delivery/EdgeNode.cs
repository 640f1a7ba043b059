using Bifro.Runtime.Messaging;

namespace Bifro.MqttEdge.Delivery;

/// <summary>
/// This edge's identity in routes: its node identity (the silo address, or "cl:{name}" for an edge-only
/// node), so that route entries say which node holds a transient session's connection.
/// </summary>
internal sealed class EdgeNode(ILocalSiloDetails silo)
{
    public string Id { get; } = silo.NodeIdentity;
}
