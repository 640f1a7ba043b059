using Bifro.Runtime;

// The risk group of the event catalogue: bans the risk detector or an administrator made.
namespace Bifro.Grains;

/// <summary>
/// <see cref="EventType.ClientBanned"/> and <see cref="EventType.BanRemoved"/>. The client fields name the
/// client whose behaviour hit the rule (for a rule's ban), or are empty (an administrator's).
/// </summary>
[GenerateSerializer]
public sealed class BanEvent : BifroEvent
{
    [Id(10)]
    public BanEntry Ban { get; init; } = new();

    /// <summary>The deny list it is in: a tenant, or <see cref="DenyListScopes.Cluster"/>.</summary>
    [Id(11)]
    public string Scope { get; init; } = string.Empty;

    /// <summary>For a rule's ban: how many matching events the rule counted in its window.</summary>
    [Id(12)]
    public int Count { get; init; }
}
