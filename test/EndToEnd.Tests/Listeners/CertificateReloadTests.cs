using Bifro.EndToEnd.Tests.Clients;
using Bifro.TestKit;
using Xunit;

namespace Bifro.EndToEnd.Tests.Listeners;

/// <summary>Certificate files replaced on disk while the node runs.</summary>
[Trait("Category", "EndToEnd")]
public sealed class CertificateReloadTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    [Fact(Timeout = 90_000)]
    public async Task Tls_CertificateReplacedOnDisk_NewConnectionsUseIt_BadFileKeepsIt()
    {
        using var certificates = TestCertificates.Create();
        var firstAuthority = certificates.CreateAuthority("First CA");
        var secondAuthority = certificates.CreateAuthority("Second CA");
        var first = certificates.CreateServer(firstAuthority, "first-server");
        var second = certificates.CreateServer(secondAuthority, "second-server");

        // The files the node watches: a certificate and key of their own, overwritten below.
        var certificatePath = Path.Combine(certificates.Directory, "live.crt");
        var keyPath = Path.Combine(certificates.Directory, "live.key");
        File.Copy(first.CertificatePath, certificatePath);
        File.Copy(first.KeyPath, keyPath);
        var tlsPort = FreePort.Next();
        await using var broker = await BrokerProcess.StartAsync(null,
        [
            .. ListenerArguments.Listener("Tls", tlsPort),
            $"--Bifro:Mqtt:Tls:Certificate:Path={certificatePath}",
            $"--Bifro:Mqtt:Tls:Certificate:KeyPath={keyPath}",
        ]);

        Assert.Equal(0, (await PublishAsync(broker, tlsPort, firstAuthority)).ExitCode);

        // Replace both files the way deployment tools do: write beside, then rename over.
        Replace(keyPath, File.ReadAllBytes(second.KeyPath));
        Replace(certificatePath, File.ReadAllBytes(second.CertificatePath));

        // A client that trusts only the new CA connects once the node has picked the new certificate up.
        await Eventually.TrueAsync(async () => (await PublishAsync(broker, tlsPort, secondAuthority)).ExitCode == 0, Deadline, "a client trusting the second CA connects\n" + broker.Output);
        await broker.Process.WaitForLineAsync("TLS certificate CN=second-server", Deadline);
        Assert.NotEqual(0, (await PublishAsync(broker, tlsPort, firstAuthority)).ExitCode);

        // A broken certificate file is reported, and the certificate in use stays.
        Replace(certificatePath, "-----BEGIN CERTIFICATE-----\nbroken\n-----END CERTIFICATE-----\n"u8.ToArray());
        await broker.Process.WaitForLineAsync("could not be loaded, the previous certificate stays in use", Deadline);
        Assert.Equal(0, (await PublishAsync(broker, tlsPort, secondAuthority)).ExitCode);
    }

    private static Task<ProcessResult> PublishAsync(BrokerProcess broker, int port, CertificateFiles authority) =>
        Mosquitto.PublishToAsync(broker, port, "311", "--cafile", authority.CertificatePath, "-t", "reload/probe", "-m", "x");

    private static void Replace(string path, byte[] content)
    {
        var temporary = path + ".tmp";
        File.WriteAllBytes(temporary, content);
        File.Move(temporary, path, overwrite: true);
    }
}
