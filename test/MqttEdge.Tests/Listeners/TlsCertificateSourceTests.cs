using Bifro.MqttEdge.Configuration;
using Bifro.MqttEdge.Listeners;
using Bifro.TestKit;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit;

namespace Bifro.MqttEdge.Tests.Listeners;

public sealed class TlsCertificateSourceTests : IDisposable
{
    private readonly TestCertificates _certificates = TestCertificates.Create();
    private readonly CertificateFiles _authority;

    public TlsCertificateSourceTests() => _authority = _certificates.CreateAuthority("Unit CA");

    public void Dispose() => _certificates.Dispose();

    [Fact]
    public void Create_PemCertificateAndKey_Loaded()
    {
        var server = _certificates.CreateServer(_authority);

        using var source = Create(Options(server.CertificatePath, server.KeyPath));

        Assert.Equal(server.Certificate.Thumbprint, source.Current.Leaf.Thumbprint);
        Assert.True(source.Current.Leaf.HasPrivateKey);
    }

    [Fact]
    public void Create_Pkcs12WithPassword_Loaded()
    {
        var server = _certificates.CreateServer(_authority);
        var options = Options(server.Pkcs12Path, keyPath: null);
        options.Certificate.Password = server.Password;

        using var source = Create(options);

        Assert.Equal(server.Certificate.Thumbprint, source.Current.Leaf.Thumbprint);
    }

    [Fact]
    public void Create_ClientCertificatesAsked_PolicyTrustsOnlyTheConfiguredAuthority()
    {
        var server = _certificates.CreateServer(_authority);
        var options = Options(server.CertificatePath, server.KeyPath);
        options.ClientCertificateMode = ClientCertificateMode.Require;
        options.ClientCaPath = _authority.CertificatePath;

        using var source = Create(options);

        var policy = source.Current.ClientChainPolicy!;
        Assert.Equal(System.Security.Cryptography.X509Certificates.X509ChainTrustMode.CustomRootTrust, policy.TrustMode);
        Assert.Equal(_authority.Certificate.Thumbprint, Assert.Single(policy.CustomTrustStore).Thumbprint);
        Assert.Equal(System.Security.Cryptography.X509Certificates.X509RevocationMode.NoCheck, policy.RevocationMode);
    }

    [Fact]
    public void Check_FilesReplaced_NewMaterial()
    {
        var (options, certificatePath, keyPath) = LiveFiles(_certificates.CreateServer(_authority));
        using var source = Create(options);
        var next = _certificates.CreateServer(_certificates.CreateAuthority("Next CA"), "next");

        File.Copy(next.KeyPath, keyPath, overwrite: true);
        File.Copy(next.CertificatePath, certificatePath, overwrite: true);
        source.Check();

        Assert.Equal(next.Certificate.Thumbprint, source.Current.Leaf.Thumbprint);
    }

    [Fact]
    public void Check_BrokenCertificate_KeepsPreviousMaterial()
    {
        var server = _certificates.CreateServer(_authority);
        var (options, certificatePath, _) = LiveFiles(server);
        using var source = Create(options);

        File.WriteAllText(certificatePath, "-----BEGIN CERTIFICATE-----\nbroken\n-----END CERTIFICATE-----\n");
        source.Check();

        Assert.Equal(server.Certificate.Thumbprint, source.Current.Leaf.Thumbprint);
    }

    [Fact]
    public void Check_KeyOfAnotherCertificate_KeepsPreviousMaterial()
    {
        var server = _certificates.CreateServer(_authority);
        var (options, _, keyPath) = LiveFiles(server);
        using var source = Create(options);

        File.Copy(_certificates.CreateServer(_authority, "other").KeyPath, keyPath, overwrite: true);
        source.Check();

        Assert.Equal(server.Certificate.Thumbprint, source.Current.Leaf.Thumbprint);
    }

    [Fact]
    public void Check_FileMissingForAMoment_KeepsPreviousMaterial()
    {
        var server = _certificates.CreateServer(_authority);
        var (options, certificatePath, _) = LiveFiles(server);
        using var source = Create(options);

        File.Delete(certificatePath);
        source.Check();

        Assert.Equal(server.Certificate.Thumbprint, source.Current.Leaf.Thumbprint);
    }

    [Fact]
    public async Task FileWatcher_FilesReplaced_PicksUpNewMaterialWithoutPolling()
    {
        var (options, certificatePath, keyPath) = LiveFiles(_certificates.CreateServer(_authority));
        using var source = new TlsCertificateSource(options, "Bifro:Mqtt:Tls", TimeSpan.FromHours(1), TimeProvider.System, NullLogger.Instance);
        var next = _certificates.CreateServer(_authority, "watched");

        File.Copy(next.KeyPath, keyPath, overwrite: true);
        File.Copy(next.CertificatePath, certificatePath, overwrite: true);

        await Eventually.TrueAsync(() => source.Current.Leaf.Thumbprint == next.Certificate.Thumbprint, TimeSpan.FromSeconds(10), "the watcher reloads");
    }

    [Fact]
    public void Create_MissingCertificate_ErrorNamesTheKey()
    {
        var exception = Assert.Throws<TlsMaterialException>(() => Create(Options("/nonexistent/server.crt", null)));

        Assert.Contains("Bifro:Mqtt:Tls:Certificate:Path '/nonexistent/server.crt' not found", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Create_CaFileWithoutCertificates_ErrorNamesTheKey()
    {
        var server = _certificates.CreateServer(_authority);
        var options = Options(server.CertificatePath, server.KeyPath);
        options.ClientCertificateMode = ClientCertificateMode.Optional;
        options.ClientCaPath = Path.Combine(_certificates.Directory, "empty.pem");
        File.WriteAllText(options.ClientCaPath, "no certificates here\n");

        var exception = Assert.Throws<TlsMaterialException>(() => Create(options));

        Assert.Contains("Bifro:Mqtt:Tls:ClientCaPath", exception.Message, StringComparison.Ordinal);
    }

    private static TlsCertificateSource Create(TlsListenerOptions options) =>
        new(options, "Bifro:Mqtt:Tls", TimeSpan.FromHours(1), TimeProvider.System, NullLogger.Instance);

    private static TlsListenerOptions Options(string certificatePath, string? keyPath) =>
        new() { Enabled = true, Certificate = new ServerCertificateOptions { Path = certificatePath, KeyPath = keyPath } };

    /// <summary>Copies of a server's files in a folder of their own, for a test to overwrite.</summary>
    private (TlsListenerOptions Options, string CertificatePath, string KeyPath) LiveFiles(CertificateFiles server)
    {
        var directory = Path.Combine(_certificates.Directory, Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        var certificatePath = Path.Combine(directory, "server.crt");
        var keyPath = Path.Combine(directory, "server.key");
        File.Copy(server.CertificatePath, certificatePath);
        File.Copy(server.KeyPath, keyPath);
        return (Options(certificatePath, keyPath), certificatePath, keyPath);
    }
}
