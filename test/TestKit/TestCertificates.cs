using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Bifro.TestKit;

/// <summary>A certificate and its private key as PEM files, and the CA bundle that trusts it.</summary>
public sealed record PemCertificate(string CertificatePath, string KeyPath, string CaBundlePath);

/// <summary>
/// Certificates made in the test, with no tool and no network: a CA per <see cref="TestCertificates"/>,
/// and leaf certificates it signs, usable by a TLS server and client alike (silos are both), for the
/// loopback address. Everything is written as PEM under one temporary directory, deleted on dispose.
/// </summary>
public sealed class TestCertificates : IDisposable
{
    private readonly ECDsa _caKey;
    private readonly X509Certificate2 _ca;
    private int _serial;

    /// <param name="name">The CA's common name; two instances are two unrelated CAs.</param>
    public TestCertificates(string name = "Bifro Test CA")
    {
        Directory = Path.Combine(Path.GetTempPath(), "bifro-certs-" + Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(Directory);
        _caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={name}", _caKey, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        var now = DateTimeOffset.UtcNow;
        _ca = request.CreateSelfSigned(now.AddMinutes(-10), now.AddDays(2));
        CaBundlePath = Path.Combine(Directory, "ca.pem");
        File.WriteAllText(CaBundlePath, _ca.ExportCertificatePem());
    }

    /// <summary>Where the PEM files are.</summary>
    public string Directory { get; }

    /// <summary>The CA certificate (PEM), the only trust anchor its leaves need.</summary>
    public string CaBundlePath { get; }

    /// <summary>A leaf certificate for <paramref name="commonName"/> on 127.0.0.1, signed by this CA, for server and client authentication.</summary>
    public PemCertificate Issue(string commonName)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={commonName}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyAgreement, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(
            [new Oid("1.3.6.1.5.5.7.3.1", "Server Authentication"), new Oid("1.3.6.1.5.5.7.3.2", "Client Authentication")], false));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(_ca, true, false));
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        names.AddDnsName("localhost");
        request.CertificateExtensions.Add(names.Build());

        var serial = BitConverter.GetBytes(Interlocked.Increment(ref _serial) + 1000);
        var now = DateTimeOffset.UtcNow;
        using var certificate = request.Create(_ca, now.AddMinutes(-5), now.AddDays(1), serial);
        var certificatePath = Path.Combine(Directory, commonName + ".pem");
        var keyPath = Path.Combine(Directory, commonName + ".key");
        File.WriteAllText(certificatePath, certificate.ExportCertificatePem());
        File.WriteAllText(keyPath, key.ExportPkcs8PrivateKeyPem());
        return new PemCertificate(certificatePath, keyPath, CaBundlePath);
    }

    public void Dispose()
    {
        _ca.Dispose();
        _caKey.Dispose();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
