using Bifro.Runtime;

namespace Bifro.Grains;

/// <summary>
/// Every edge node's delivery target, addressed by node ("{node}/edge"): the publish path's one hop to
/// another node. A publisher's edge sends it, per node, a batch of messages and the local connections
/// each goes to; the call completes once they are queued there.
/// </summary>
public interface IEdgeDeliveryTarget : IGrainObserver
{
    Task<int> DeliverAsync(EdgeDeliveryBatch batch);
}

/// <summary>Messages for one node, each once, and the deliveries that reference them.</summary>
[GenerateSerializer]
public sealed class EdgeDeliveryBatch
{
    [Id(0)]
    public List<MqttMessage> Messages { get; set; } = new();

    [Id(1)]
    public List<EdgeDelivery> Deliveries { get; set; } = new();
}

/// <summary>One message for one transient session's connection on the target node.</summary>
[GenerateSerializer]
public sealed record EdgeDelivery(
    [property: Id(0)] int Message,
    [property: Id(1)] string SessionKey,
    [property: Id(2)] long Epoch,
    [property: Id(3)] byte QoS,
    [property: Id(4)] bool Retain,
    [property: Id(5)] uint[]? SubscriptionIds);
