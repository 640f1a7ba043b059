using System.Net;
using Bifro.Runtime;

namespace Bifro.Grains;

/// <summary>One ban of a deny list.</summary>
[GenerateSerializer]
public sealed class BanEntry
{
    /// <summary>Unique within its deny list; an administrator removes a ban by it.</summary>
    [Id(0)]
    public string Id { get; init; } = string.Empty;

    [Id(1)]
    public BanKind Kind { get; init; }

    /// <summary>The client id, user, address ("203.0.113.7") or prefix ("203.0.113.0/24"), in canonical form.</summary>
    [Id(2)]
    public string Value { get; init; } = string.Empty;

    [Id(3)]
    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>When it ends; null for a ban that lasts until it is removed.</summary>
    [Id(4)]
    public DateTimeOffset? ExpiresAt { get; init; }

    [Id(5)]
    public string? Reason { get; init; }

    /// <summary>Who made it: "rule:{name}" for the risk detector, "admin" or what the caller said.</summary>
    [Id(6)]
    public string? Source { get; init; }

    public bool IsExpired(DateTimeOffset now) => ExpiresAt is { } expires && expires <= now;

    /// <summary>Whether the ban applies to a client with these identities (expiry is checked separately).</summary>
    public bool Matches(string? clientId, string? user, IPAddress? address)
    {
        switch (Kind)
        {
            case BanKind.ClientId:
                return clientId is not null && string.Equals(clientId, Value, StringComparison.Ordinal);
            case BanKind.User:
                return user is not null && string.Equals(user, Value, StringComparison.Ordinal);
            case BanKind.Address:
                return address is not null && BanValues.TryParseAddress(Value, out var banned) && banned.Equals(Normalize(address));
            default:
                return address is not null && IPNetwork.TryParse(Value, out var network) && network.Contains(Normalize(address));
        }
    }

    public override string ToString() => $"{Kind} {Value} ({Id}, until {ExpiresAt?.ToString("O") ?? "removed"}, {Source}: {Reason})";

    private static IPAddress Normalize(IPAddress address) => address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
}
