using Bifro.Runtime;

// The publish group of the event catalogue: inbound handling, and drops on the way out.
namespace Bifro.Grains;

/// <summary>
/// Inbound publish handling: <see cref="EventType.PublishReceived"/> (sampled), <see cref="EventType.PublishDiscarded"/>,
/// <see cref="EventType.PublishError"/>, <see cref="EventType.WillPublished"/>, <see cref="EventType.WillPublishError"/>.
/// </summary>
[GenerateSerializer]
public sealed class PublishEvent : BifroEvent
{
    [Id(10)]
    public string Topic { get; init; } = string.Empty;

    [Id(11)]
    public byte QoS { get; init; }

    [Id(12)]
    public bool Retain { get; init; }

    [Id(13)]
    public int PayloadSize { get; init; }

    [Id(14)]
    public string? Reason { get; init; }

    /// <summary>For <see cref="EventType.PublishReceived"/>: this event stands for this many publishes (the sampling interval).</summary>
    [Id(15)]
    public int SampledEvery { get; init; }
}

/// <summary>Why messages for a client were dropped.</summary>
public enum DropReason
{
    /// <summary>The client's outbound queue was full (a slow subscriber).</summary>
    Overflow,

    /// <summary>The client's connection had closed, or was not the session's current one.</summary>
    SessionClosed,

    /// <summary>Larger than the client's Maximum Packet Size.</summary>
    TooLarge,

    /// <summary>Its message expiry interval passed before it could be sent.</summary>
    Expired,

    /// <summary>The node holding the client's connection could not be reached, or did not keep up.</summary>
    NodeUnreachable,
}

/// <summary>
/// Messages for a client dropped, by QoS (<see cref="EventType.QoS0Dropped"/>, <see cref="EventType.QoS1Dropped"/>,
/// <see cref="EventType.QoS2Dropped"/>) and reason. Drops are counted on the connection and reported at most once per
/// edge heartbeat (half a second) with their <see cref="Count"/>, so a flood of drops costs a counter each.
/// </summary>
[GenerateSerializer]
public sealed class MessageDroppedEvent : BifroEvent
{
    [Id(10)]
    public DropReason Reason { get; init; }

    /// <summary>How many messages this event stands for.</summary>
    [Id(11)]
    public int Count { get; init; }
}
