using Bifro.Runtime;

namespace Bifro.Grains;

/// <summary>A ban to add to a deny list.</summary>
[GenerateSerializer]
public sealed class BanRequest
{
    [Id(0)]
    public BanKind Kind { get; init; }

    /// <summary>The client id, user, address or CIDR prefix; addresses and prefixes are stored in canonical form.</summary>
    [Id(1)]
    public string Value { get; init; } = string.Empty;

    /// <summary>How long it lasts; null until it is removed.</summary>
    [Id(2)]
    public TimeSpan? Duration { get; init; }

    [Id(3)]
    public string? Reason { get; init; }

    /// <summary>Who asks: "rule:{name}", "admin", ….</summary>
    [Id(4)]
    public string? Source { get; init; }

    /// <summary>For the ClientBanned event: the client whose behaviour led to the ban (a risk rule's hit), if any.</summary>
    [Id(5)]
    public string? TriggerClientId { get; init; }

    [Id(6)]
    public string? TriggerUserId { get; init; }

    [Id(7)]
    public string? TriggerAddress { get; init; }

    /// <summary>For a risk rule's ban: how many matching events it counted in its window.</summary>
    [Id(8)]
    public int TriggerCount { get; init; }
}
