using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Bifro.MqttEdge.Configuration;

namespace Bifro.MqttEdge.Listeners;

/// <summary>
/// Decides, for one handshake, whether the client's certificate is acceptable, and keeps the chain it was
/// validated with. SslStream builds that chain with <see cref="Policy"/>: the listener's CA bundle as the only
/// trust anchors, plus the intermediates the client sent. There is no way to accept an invalid certificate.
/// </summary>
internal sealed class ClientCertificateValidator(X509ChainPolicy template, ClientCertificateMode mode)
{
    /// <summary>A copy per handshake: SslStream adds the client's intermediates to it.</summary>
    public X509ChainPolicy Policy { get; } = template.Clone();

    /// <summary>Set when a certificate was accepted: DER, client certificate first, then intermediates (no trust anchor).</summary>
    public byte[][]? Chain { get; private set; }

    /// <summary>Why a certificate was refused, for the log.</summary>
    public string? Failure { get; private set; }

    public bool Validate(object sender, System.Security.Cryptography.X509Certificates.X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        if (certificate is null)
        {
            // Optional: asked for, not given. Require: the handshake fails.
            Failure = mode == ClientCertificateMode.Require ? "no client certificate" : null;
            return mode == ClientCertificateMode.Optional;
        }

        if (errors != SslPolicyErrors.None || chain is null)
        {
            Failure = Describe(errors, chain);
            return false;
        }

        var elements = chain.ChainElements;

        // The last element is the trust anchor from the CA bundle, unless the client certificate is itself one.
        var count = elements.Count > 1 ? elements.Count - 1 : elements.Count;
        var der = new byte[count][];
        for (var i = 0; i < count; i++)
        {
            der[i] = elements[i].Certificate.RawData;
        }

        Chain = der;
        return true;
    }

    private static string Describe(SslPolicyErrors errors, X509Chain? chain)
    {
        if (chain is null || chain.ChainStatus.Length == 0)
        {
            return errors.ToString();
        }

        return string.Join("; ", chain.ChainStatus.Select(s => $"{s.Status}: {s.StatusInformation.Trim()}"));
    }
}
