using Bifro.Runtime;

namespace Bifro.Grains;

/// <summary>
/// What an authentication step decided: <see cref="Ok"/>, <see cref="Reject"/>, <see cref="Banned"/> or
/// (5.0 enhanced authentication) <see cref="Continue"/>.
/// </summary>
[GenerateSerializer]
public sealed class AuthResult
{
    [Id(0)]
    public AuthResultKind Kind { get; init; }

    /// <summary>Ok: the tenant, which scopes sessions, routes, retained messages and limits. Non-empty, without '/'.</summary>
    [Id(1)]
    public string? TenantId { get; init; }

    /// <summary>Ok: the user, as ACL rules and logs name it.</summary>
    [Id(2)]
    public string? UserId { get; init; }

    /// <summary>Ok: attributes the provider wants to see again in <see cref="ClientInfo.Attributes"/> (roles, groups).</summary>
    [Id(3)]
    public Dictionary<string, string>? Attributes { get; init; }

    /// <summary>Rejected: why, which chooses the CONNACK code.</summary>
    [Id(4)]
    public AuthRejectCode RejectCode { get; init; }

    /// <summary>A reason for the log and, for 5.0 clients that asked for problem information, the Reason String.</summary>
    [Id(5)]
    public string? Reason { get; init; }

    /// <summary>Continue: the server's challenge (AUTH 0x18). Ok after enhanced authentication: the final data, sent in CONNACK (or AUTH 0x00).</summary>
    [Id(6)]
    public byte[]? AuthenticationData { get; init; }

    /// <summary>5.0 User Properties for the CONNACK or AUTH packet that carries this result.</summary>
    [Id(7)]
    public KeyValuePair<string, string>[]? UserProperties { get; init; }

    /// <summary>Continue: anything the provider needs at its next step; the connection keeps it and hands it back (never serialized).</summary>
    public object? State { get; init; }

    /// <summary>Authenticated as <paramref name="userId"/> of <paramref name="tenantId"/>.</summary>
    public static AuthResult Ok(string tenantId, string userId, IReadOnlyDictionary<string, string>? attributes = null, byte[]? authenticationData = null) => new()
    {
        Kind = AuthResultKind.Ok,
        TenantId = tenantId,
        UserId = userId,
        Attributes = attributes is null ? null : new Dictionary<string, string>(attributes, StringComparer.Ordinal),
        AuthenticationData = authenticationData,
    };

    /// <summary>Refused for <paramref name="code"/>.</summary>
    public static AuthResult Reject(AuthRejectCode code, string? reason = null) => new()
    {
        Kind = AuthResultKind.Rejected,
        RejectCode = code,
        Reason = reason,
    };

    /// <summary>The client is banned (5.0 CONNACK 0x8A).</summary>
    public static AuthResult Banned(string? reason = null) => new() { Kind = AuthResultKind.Banned, Reason = reason };

    /// <summary>Enhanced authentication needs another step: <paramref name="authenticationData"/> goes to the client in AUTH 0x18.</summary>
    public static AuthResult Continue(byte[]? authenticationData, object? state = null) => new()
    {
        Kind = AuthResultKind.Continue,
        AuthenticationData = authenticationData,
        State = state,
    };

    public override string ToString() => Kind switch
    {
        AuthResultKind.Ok => $"Ok({TenantId}/{UserId})",
        AuthResultKind.Rejected => $"Rejected({RejectCode}: {Reason})",
        AuthResultKind.Banned => $"Banned({Reason})",
        _ => "Continue",
    };
}
