using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Bifro.Grains.Authorization.Providers;

/// <summary>Names taken from a client certificate: its subject CN, a subject alternative name, its SHA-256 fingerprint.</summary>
internal static class CertificateIdentity
{
    /// <summary>The certificate's SHA-256 fingerprint, upper-case hex.</summary>
    public static string Fingerprint(byte[] der) => Convert.ToHexString(SHA256.HashData(der));

    /// <summary>The subject's common name, or null.</summary>
    public static string? CommonName(X509Certificate2 certificate)
    {
        var name = certificate.GetNameInfo(X509NameType.SimpleName, forIssuer: false);
        return string.IsNullOrEmpty(name) ? null : name;
    }

    /// <summary>
    /// The name that <paramref name="source"/> picks: "cn" (subject common name), "san-dns" (first DNS
    /// subject alternative name) or "san-email" (first e-mail subject alternative name); null when absent.
    /// </summary>
    public static string? Select(X509Certificate2 certificate, string source)
    {
        switch (source)
        {
            case "cn":
                return CommonName(certificate);
            case "san-dns":
                foreach (var extension in certificate.Extensions)
                {
                    if (extension is X509SubjectAlternativeNameExtension san)
                    {
                        foreach (var dns in san.EnumerateDnsNames())
                        {
                            return dns;
                        }
                    }
                }

                return null;
            case "san-email":
                // EmailName reads the rfc822Name subject alternative name (or the subject's E=).
                var email = certificate.GetNameInfo(X509NameType.EmailName, forIssuer: false);
                return string.IsNullOrEmpty(email) ? null : email;
            default:
                return null;
        }
    }
}
