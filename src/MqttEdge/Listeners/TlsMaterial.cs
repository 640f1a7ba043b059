using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace Bifro.MqttEdge.Listeners;

/// <summary>
/// A TLS listener's loaded certificate material: the server certificate with its chain, and the policy that
/// client certificates are validated with. Immutable; a reload makes a new one, which new connections take.
/// </summary>
internal sealed class TlsMaterial(SslStreamCertificateContext serverCertificate, X509ChainPolicy? clientChainPolicy)
{
    public SslStreamCertificateContext ServerCertificate { get; } = serverCertificate;

    public X509Certificate2 Leaf => ServerCertificate.TargetCertificate;

    /// <summary>
    /// The configured CA bundle as the only trust anchors (<see cref="X509ChainTrustMode.CustomRootTrust"/>);
    /// a template that each handshake clones. Null when clients are not asked for certificates.
    /// </summary>
    public X509ChainPolicy? ClientChainPolicy { get; } = clientChainPolicy;
}
