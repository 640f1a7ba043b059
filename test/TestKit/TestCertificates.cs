using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Bifro.TestKit;

/// <summary>A certificate with its key, written as PEM (certificate, key) and PKCS#12 files.</summary>
/// <param name="Certificate">The certificate with its private key.</param>
/// <param name="CertificatePath">The PEM certificate.</param>
/// <param name="KeyPath">The PEM (PKCS#8) private key.</param>
/// <param name="Pkcs12Path">Certificate and key as PKCS#12, protected by <paramref name="Password"/>.</param>
/// <param name="Password">The PKCS#12 password.</param>
public sealed record CertificateFiles(X509Certificate2 Certificate, string CertificatePath, string KeyPath, string Pkcs12Path, string Password);

/// <summary>
/// Certificates made for a test, in a temporary folder deleted on dispose: certificate authorities, server
/// certificates for 127.0.0.1 and localhost, and client certificates, all ECDSA P-256 (quick to make).
/// </summary>
public sealed class TestCertificates : IDisposable
{
    private const string Password = "test-password";

    private TestCertificates(string directory) => Directory = directory;

    /// <summary>The folder the files are written to.</summary>
    public string Directory { get; }

    public static TestCertificates Create()
    {
        var directory = Path.Combine(Path.GetTempPath(), "bifro-certs-" + Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(directory);
        return new TestCertificates(directory);
    }

    /// <summary>A self-signed certificate authority; <see cref="CertificateFiles.CertificatePath"/> is its PEM bundle.</summary>
    public CertificateFiles CreateAuthority(string name)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(certificateAuthority: true, hasPathLengthConstraint: false, pathLengthConstraint: 0, critical: true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign | X509KeyUsageFlags.DigitalSignature, critical: true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, critical: false));
        var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddDays(7));
        return Write(name, certificate);
    }

    /// <summary>A server certificate for 127.0.0.1 and localhost, signed by <paramref name="authority"/>.</summary>
    public CertificateFiles CreateServer(CertificateFiles authority, string name = "localhost")
    {
        var san = new SubjectAlternativeNameBuilder();
        san.AddIpAddress(IPAddress.Loopback);
        san.AddDnsName("localhost");
        return Issue(authority, name, [san.Build(), new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], critical: false)]);
    }

    /// <summary>
    /// A certificate for a silo, signed by <paramref name="authority"/>: a silo both accepts and opens
    /// transport connections, so one certificate serves as server (127.0.0.1, localhost) and as client.
    /// </summary>
    public CertificateFiles CreatePeer(CertificateFiles authority, string name)
    {
        var san = new SubjectAlternativeNameBuilder();
        san.AddIpAddress(IPAddress.Loopback);
        san.AddDnsName("localhost");
        return Issue(authority, name, [san.Build(), new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1"), new Oid("1.3.6.1.5.5.7.3.2")], critical: false)]);
    }

    /// <summary>A client certificate with common name <paramref name="name"/>, signed by <paramref name="authority"/>.</summary>
    public CertificateFiles CreateClient(CertificateFiles authority, string name) =>
        Issue(authority, name, [new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.2")], critical: false)]);

    public void Dispose()
    {
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private CertificateFiles Issue(CertificateFiles authority, string name, X509Extension[] extensions)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(certificateAuthority: false, hasPathLengthConstraint: false, pathLengthConstraint: 0, critical: true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyAgreement, critical: true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, critical: false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(authority.Certificate, includeKeyIdentifier: true, includeIssuerAndSerial: false));
        foreach (var extension in extensions)
        {
            request.CertificateExtensions.Add(extension);
        }

        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7F;
        var notAfter = DateTimeOffset.UtcNow.AddDays(6);
        using var issued = request.Create(authority.Certificate, DateTimeOffset.UtcNow.AddMinutes(-30), notAfter, serial);
        return Write(name, issued.CopyWithPrivateKey(key));
    }

    private CertificateFiles Write(string name, X509Certificate2 certificate)
    {
        var stem = Path.Combine(Directory, $"{name}-{Guid.NewGuid():N}"[..(name.Length + 9)]);
        var certificatePath = stem + ".crt";
        var keyPath = stem + ".key";
        var pkcs12Path = stem + ".p12";
        File.WriteAllText(certificatePath, certificate.ExportCertificatePem());
        File.WriteAllText(keyPath, certificate.GetECDsaPrivateKey()!.ExportPkcs8PrivateKeyPem());
        File.WriteAllBytes(pkcs12Path, certificate.ExportPkcs12(Pkcs12ExportPbeParameters.Pbes2Aes256Sha256, Password));
        return new CertificateFiles(certificate, certificatePath, keyPath, pkcs12Path, Password);
    }
}
