using Bifro.Runtime;

// The access-control group of the event catalogue.
namespace Bifro.Grains;

/// <summary>
/// An action denied by authorization: <see cref="EventType.PubActionDisallowed"/>,
/// <see cref="EventType.SubActionDisallowed"/>, <see cref="EventType.UnsubActionDisallowed"/>, or
/// <see cref="EventType.AccessControlError"/> when the check itself failed (which denies too).
/// </summary>
[GenerateSerializer]
public sealed class AccessDeniedEvent : BifroEvent
{
    [Id(10)]
    public MqttActionKind Action { get; init; }

    /// <summary>The topic (publish) or topic filter (subscribe, unsubscribe).</summary>
    [Id(11)]
    public string? Topic { get; init; }

    [Id(12)]
    public byte QoS { get; init; }

    [Id(13)]
    public bool Retain { get; init; }

    /// <summary>The provider's reason, when it gave one.</summary>
    [Id(14)]
    public string? Reason { get; init; }
}
