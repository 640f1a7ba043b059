namespace Bifro.MqttEdge.Configuration;

/// <summary>
/// The MQTT over TLS listener: "tls" on port 8883, disabled by default. TLS 1.2 and 1.3 only; the server
/// certificate, its key and the client CA bundle are reloaded when their files change.
/// </summary>
public class TlsListenerOptions : MqttListenerOptions
{
    public TlsListenerOptions()
        : this("tls", 8883)
    {
    }

    private protected TlsListenerOptions(string name, int port)
        : base(name, port, enabled: false)
    {
    }

    /// <summary>The server certificate: PEM certificate and key files, or a PKCS#12 file and its password.</summary>
    public ServerCertificateOptions Certificate { get; set; } = new();

    /// <summary>Whether clients are asked for a certificate (None by default).</summary>
    public ClientCertificateMode ClientCertificateMode { get; set; } = ClientCertificateMode.None;

    /// <summary>
    /// A PEM file with the certificate authorities that client certificates must chain to; they are the only
    /// trust anchors (the system's are not used). Required when <see cref="ClientCertificateMode"/> is not None.
    /// </summary>
    public string? ClientCaPath { get; set; }

    /// <summary>Whether client certificates are checked for revocation, online (false by default).</summary>
    public bool CheckCertificateRevocation { get; set; }
}
