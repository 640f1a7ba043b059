using System.Security.Cryptography.X509Certificates;
using Bifro.Runtime;

namespace Bifro.Grains;

/// <summary>What a client presents when it connects (or re-authenticates), as the auth provider sees it.</summary>
[GenerateSerializer]
public sealed class AuthRequest
{
    /// <summary>The protocol level: 3 (MQTT 3.1), 4 (3.1.1) or 5 (5.0).</summary>
    [Id(0)]
    public byte ProtocolVersion { get; init; }

    /// <summary>The CONNECT User Name, null when absent.</summary>
    [Id(1)]
    public string? Username { get; init; }

    /// <summary>The CONNECT Password, null when absent.</summary>
    [Id(2)]
    public byte[]? Password { get; init; }

    /// <summary>The client identifier (the one the server assigned when the client sent none).</summary>
    [Id(3)]
    public string ClientId { get; init; } = string.Empty;

    /// <summary>
    /// The client certificate (leaf), DER-encoded, when the client presented one on a TLS listener. A
    /// certificate reaches the provider only after the listener validated its chain against the
    /// listener's configured CA; null on plain TCP.
    /// </summary>
    [Id(4)]
    public byte[]? ClientCertificate { get; init; }

    /// <summary>The rest of the client's certificate chain, DER-encoded, issuer after subject; empty when none.</summary>
    [Id(5)]
    public byte[][] ClientCertificateChain { get; init; } = [];

    /// <summary>The listener the client connected to ("tcp", "tls", "ws", "wss", or its configured name).</summary>
    [Id(6)]
    public string ListenerName { get; init; } = "tcp";

    /// <summary>The client's IP address (after the PROXY protocol, when a load balancer speaks it), or null when unknown.</summary>
    [Id(7)]
    public string? RemoteAddress { get; init; }

    /// <summary>The client's port (after the PROXY protocol), 0 when unknown.</summary>
    [Id(8)]
    public int RemotePort { get; init; }

    /// <summary>5.0 CONNECT (or AUTH) User Properties, in order; empty for 3.x.</summary>
    [Id(9)]
    public KeyValuePair<string, string>[] UserProperties { get; init; } = [];

    /// <summary>5.0 Authentication Method, when the client asked for enhanced authentication.</summary>
    [Id(10)]
    public string? AuthenticationMethod { get; init; }

    /// <summary>5.0 Authentication Data of the first step.</summary>
    [Id(11)]
    public byte[]? AuthenticationData { get; init; }

    /// <summary>True for a 5.0 re-authentication (AUTH 0x19 on an open connection).</summary>
    [Id(12)]
    public bool IsReAuthentication { get; init; }

    /// <summary>Identifies the connection on this node, for logs and for providers that keep per-connection state.</summary>
    [Id(13)]
    public string ConnectionId { get; init; } = string.Empty;

    /// <summary>The leaf certificate as an object (a new one each call; dispose it), or null.</summary>
    public X509Certificate2? LoadClientCertificate() =>
        ClientCertificate is { Length: > 0 } der ? X509CertificateLoader.LoadCertificate(der) : null;
}
