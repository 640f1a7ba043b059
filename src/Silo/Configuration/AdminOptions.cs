using Bifro.MqttEdge.Configuration;

namespace Bifro.Silo.Configuration;

/// <summary>
/// The admin API: HTTP on its own endpoint, with health and metrics. Section "Bifro:Admin". Off by default,
/// so that several nodes on one machine do not fight over its port; on loopback by default when enabled.
/// </summary>
public sealed class AdminOptions
{
    public const string SectionName = "Bifro:Admin";

    /// <summary>Whether the node serves the admin API, /metrics and /health (false by default).</summary>
    public bool Enabled { get; set; }

    /// <summary>The address and port, "127.0.0.1:8091" by default; "[::1]:8091" for IPv6, port 0 picks a free one.</summary>
    public string Endpoint { get; set; } = "127.0.0.1:8091";

    /// <summary>
    /// Bearer tokens, any of which a request may carry ("Authorization: Bearer …"); at least 16 characters each.
    /// None by default. With none and no client CA, the API is open, which only a loopback endpoint allows.
    /// </summary>
    public List<string> Tokens { get; set; } = [];

    /// <summary>HTTPS, and mutual TLS with a client CA.</summary>
    public AdminTlsOptions Tls { get; set; } = new();

    /// <summary>How long one admin call may wait for the grains it asks (10 seconds by default).</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(10);
}

/// <summary>Section "Bifro:Admin:Tls".</summary>
public sealed class AdminTlsOptions
{
    /// <summary>Serve HTTPS (TLS 1.2/1.3) rather than HTTP (false by default).</summary>
    public bool Enabled { get; set; }

    /// <summary>The server certificate, as for the MQTT TLS listener: PEM certificate and key, or PKCS#12 and password.</summary>
    public ServerCertificateOptions Certificate { get; set; } = new();

    /// <summary>
    /// A PEM bundle of the CAs that client certificates must chain to (the only trust anchors). When set, every
    /// call but /health needs a valid client certificate (mutual TLS); none by default.
    /// </summary>
    public string? ClientCaPath { get; set; }

    /// <summary>Check client certificates for revocation, online (false by default).</summary>
    public bool CheckCertificateRevocation { get; set; }
}
