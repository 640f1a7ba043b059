using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace Bifro.Bench.Mqtt;

/// <summary>
/// TLS for the load generator's connections: the broker's certificate must chain to <see cref="TrustedCa"/> (the
/// only trust anchor, not the system store) and name <see cref="TargetHost"/>. The protocol and cipher suite are
/// left to the two ends' defaults (TLS 1.3 with OpenSSL 3 on both sides), as a real client would leave them.
/// </summary>
internal sealed record TlsClientSettings(X509Certificate2 TrustedCa, string TargetHost)
{
    public static TlsClientSettings FromCaFile(string caFile, string targetHost) =>
        new(X509CertificateLoader.LoadCertificateFromFile(caFile), targetHost);

    /// <summary>New options per connection: a chain policy is mutable, so it is not shared between handshakes.</summary>
    public SslClientAuthenticationOptions Options() => new()
    {
        TargetHost = TargetHost,
        CertificateChainPolicy = new X509ChainPolicy
        {
            TrustMode = X509ChainTrustMode.CustomRootTrust,
            CustomTrustStore = { TrustedCa },
            // A throwaway CA has no revocation lists to ask.
            RevocationMode = X509RevocationMode.NoCheck,
        },
        CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
    };
}
