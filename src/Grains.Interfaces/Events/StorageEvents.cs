using Bifro.Runtime;

// The retained-message, inbox and tenant-resource groups of the event catalogue.
namespace Bifro.Grains;

/// <summary>Retained messages: <see cref="EventType.MessageRetained"/>, <see cref="EventType.RetainedMessageCleared"/>, <see cref="EventType.RetainError"/>.</summary>
[GenerateSerializer]
public sealed class RetainEvent : BifroEvent
{
    [Id(10)]
    public string Topic { get; init; } = string.Empty;

    [Id(11)]
    public int PayloadSize { get; init; }

    [Id(12)]
    public string? Reason { get; init; }
}

/// <summary><see cref="EventType.InboxOverflowed"/>: an offline session's inbox was full.</summary>
[GenerateSerializer]
public sealed class InboxOverflowEvent : BifroEvent
{
    /// <summary>Messages dropped by this overflow.</summary>
    [Id(10)]
    public int Dropped { get; init; }

    /// <summary>True when the oldest messages made room (QoS 0 first), false when the new ones were refused.</summary>
    [Id(11)]
    public bool DroppedOldest { get; init; }

    /// <summary>The inbox's limit (Bifro:Mqtt:MaxOfflineMessages).</summary>
    [Id(12)]
    public int MaxMessages { get; init; }
}

/// <summary><see cref="EventType.OutOfTenantResource"/>: a tenant limit refused something a client asked for.</summary>
[GenerateSerializer]
public sealed class TenantResourceEvent : BifroEvent
{
    /// <summary>The resource ("Connections", "Subscriptions", "InboxMessages", …).</summary>
    [Id(10)]
    public string Resource { get; init; } = string.Empty;

    [Id(11)]
    public long Limit { get; init; }

    [Id(12)]
    public string? Reason { get; init; }
}
