using Bifro.Runtime;

namespace Bifro.Grains;

/// <summary>
/// An authenticated client, as authorization sees it (BifroMQ's ClientInfo). The connection puts it in
/// <see cref="RequestContext"/> under <see cref="RequestContextKey"/> for the calls it makes on the
/// client's behalf; the authorization filter reads it there.
/// </summary>
[GenerateSerializer]
public sealed class ClientInfo
{
    /// <summary>The RequestContext key under which calls made for a client carry it.</summary>
    public const string RequestContextKey = "bifro.client";

    /// <summary>The tenant named by the auth provider.</summary>
    [Id(0)]
    public string TenantId { get; init; } = Grains.SessionKey.DefaultTenant;

    /// <summary>The user named by the auth provider.</summary>
    [Id(1)]
    public string UserId { get; init; } = string.Empty;

    [Id(2)]
    public string ClientId { get; init; } = string.Empty;

    /// <summary>The listener the client connected to ("tcp", "tls", "ws", "wss", …).</summary>
    [Id(3)]
    public string ListenerName { get; init; } = "tcp";

    /// <summary>The client's IP address (after the PROXY protocol), or null when unknown.</summary>
    [Id(4)]
    public string? RemoteAddress { get; init; }

    [Id(5)]
    public int RemotePort { get; init; }

    /// <summary>The client certificate's subject common name, when it presented a certificate.</summary>
    [Id(6)]
    public string? CertificateSubject { get; init; }

    /// <summary>The client certificate's SHA-256 fingerprint (upper-case hex), when it presented a certificate.</summary>
    [Id(7)]
    public string? CertificateFingerprint { get; init; }

    /// <summary>The protocol level: 3, 4 or 5.</summary>
    [Id(8)]
    public byte ProtocolVersion { get; init; }

    /// <summary>What the auth provider returned in <see cref="AuthResult.Attributes"/>.</summary>
    [Id(9)]
    public Dictionary<string, string>? Attributes { get; init; }

    /// <summary>Identifies the connection on its node.</summary>
    [Id(10)]
    public string ConnectionId { get; init; } = string.Empty;

    /// <summary>"{tenant}/{clientId}": the key of the client's Session grain.</summary>
    public string SessionKey => Grains.SessionKey.Create(TenantId, ClientId);

    public override string ToString() => $"{TenantId}/{ClientId} (user {UserId}, {ListenerName} {RemoteAddress}:{RemotePort})";
}
