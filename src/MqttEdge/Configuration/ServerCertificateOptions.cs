namespace Bifro.MqttEdge.Configuration;

/// <summary>Where a TLS listener's certificate comes from.</summary>
public sealed class ServerCertificateOptions
{
    /// <summary>
    /// A PEM file (the certificate, then any intermediates; the key too when <see cref="KeyPath"/> is not
    /// set) or a PKCS#12 file (.pfx, .p12). Required for an enabled TLS listener.
    /// </summary>
    public string? Path { get; set; }

    /// <summary>The PEM private key file, when it is not in the certificate file.</summary>
    public string? KeyPath { get; set; }

    /// <summary>The PKCS#12 password, or that of an encrypted PEM key (none by default).</summary>
    public string? Password { get; set; }
}
