using System.Security.Authentication;

namespace Bifro.Configuration;

/// <summary>Silo-to-silo and client-to-gateway connections (section Bifro:Cluster:Transport).</summary>
public sealed class SiloTransportOptions
{
    public const int DefaultSiloPort = 11111;
    public const int DefaultGatewayPort = 30000;

    /// <summary>The port other silos connect to (11111 by default).</summary>
    public int SiloPort { get; set; } = DefaultSiloPort;

    /// <summary>The port cluster clients (edge-only nodes) connect to (30000 by default; 0: no gateway).</summary>
    public int GatewayPort { get; set; } = DefaultGatewayPort;

    /// <summary>The address to listen on ("0.0.0.0" by default).</summary>
    public string BindAddress { get; set; } = "0.0.0.0";

    /// <summary>
    /// The address other nodes use to reach this one, written to the membership table. Required when
    /// BindAddress is a wildcard; otherwise it defaults to BindAddress.
    /// </summary>
    public string? AdvertisedAddress { get; set; }

    /// <summary>How long a connection attempt and its handshake may take (5 seconds by default).</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Messages queued for one connection before senders are refused (100,000 by default): back-pressure on a stuck peer.</summary>
    public int MaxQueuedMessages { get; set; } = 100_000;

    public TransportTlsOptions Tls { get; set; } = new();
}

/// <summary>How a side treats the other side's certificate (Orleans' RemoteCertificateMode).</summary>
public enum RemoteCertificateMode
{
    /// <summary>Not asked for.</summary>
    NoCertificate = 0,

    /// <summary>Asked for, validated when given, not required.</summary>
    AllowCertificate = 1,

    /// <summary>Required and validated.</summary>
    RequireCertificate = 2,
}

/// <summary>TLS on the silo transport (section Bifro:Cluster:Transport:Tls).</summary>
public sealed class TransportTlsOptions
{
    public bool Enabled { get; set; }

    /// <summary>The node's certificate: a PEM certificate (with KeyPath) or a PKCS#12 file (.pfx/.p12, with Password).</summary>
    public string? CertificatePath { get; set; }

    public string? KeyPath { get; set; }

    public string? Password { get; set; }

    /// <summary>PEM bundle of the CAs that sign peers' certificates; the only trust anchors when set.</summary>
    public string? CaBundlePath { get; set; }

    /// <summary>What a silo asks of connecting peers (RequireCertificate by default: mutual TLS).</summary>
    public RemoteCertificateMode RemoteCertificateMode { get; set; } = RemoteCertificateMode.RequireCertificate;

    /// <summary>TLS 1.2 and 1.3 by default.</summary>
    public SslProtocols Protocols { get; set; } = SslProtocols.Tls12 | SslProtocols.Tls13;

    /// <summary>Development only: accept any peer certificate. The node logs a warning at start when set.</summary>
    public bool AllowAnyRemoteCertificate { get; set; }
}
