namespace Bifro.Grains;

/// <summary>The groups of <see cref="EventType"/>: which event class carries each type.</summary>
public static class EventTypes
{
    /// <summary>The event class that carries <paramref name="type"/>.</summary>
    public static Type ClassOf(EventType type) => (int)type switch
    {
        < 200 => typeof(ConnectionRefusedEvent),
        < 300 => typeof(ClientConnectedEvent),
        < 400 => typeof(ClientDisconnectedEvent),
        < 500 => typeof(AccessDeniedEvent),
        < 600 => typeof(PublishEvent),
        < 700 => typeof(MessageDroppedEvent),
        < 800 => typeof(RetainEvent),
        < 900 => typeof(InboxOverflowEvent),
        < 1000 => typeof(TenantResourceEvent),
        < 1100 => typeof(SessionEvent),
        < 1200 => typeof(ClusterEvent),
        _ => typeof(BanEvent),
    };

    /// <summary>Every event type.</summary>
    public static IReadOnlyList<EventType> All { get; } = Enum.GetValues<EventType>();

    /// <summary>The type named <paramref name="name"/> (case-insensitive), as configuration writes it.</summary>
    public static bool TryParse(string? name, out EventType type) =>
        Enum.TryParse(name, ignoreCase: true, out type) && Enum.IsDefined(type);
}
