namespace Bifro.MqttEdge.Delivery;

/// <summary>
/// Something a publisher's messages pile up in: a subscriber's connection on this edge, or the queue of
/// deliveries to another node. Past its high-water mark the publisher stops reading until there is room
/// again, or gives up waiting after BackpressureTimeout and waives it (so one stuck subscriber cannot
/// stall every publisher; its own queue limit then applies).
/// </summary>
internal interface IBackpressureSource
{
    /// <summary>For logs: the subscriber's session key, or the node.</summary>
    string? Name { get; }

    /// <summary>Completes when the queue is down to half its high-water mark (or it closed).</summary>
    Task WhenRoomAsync();

    /// <summary>Stops exerting back-pressure until the queue drains.</summary>
    void WaiveBackpressure();
}
