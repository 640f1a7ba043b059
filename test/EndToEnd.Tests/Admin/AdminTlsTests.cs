using System.Globalization;
using Bifro.EndToEnd.Tests.Clients;
using Bifro.TestKit;
using Xunit;

namespace Bifro.EndToEnd.Tests.Admin;

/// <summary>The admin API over HTTPS with mutual TLS, and what a node refuses to start with.</summary>
[Trait("Category", "EndToEnd")]
public sealed class AdminTlsTests
{
    [Fact(Timeout = 120_000)]
    public async Task MutualTls_ClientCertificate_AcceptedWithoutToken_OthersRefused()
    {
        using var certificates = TestCertificates.Create();
        var authority = certificates.CreateAuthority("Bifro Admin Test CA");
        var server = certificates.CreateServer(authority);
        var client = certificates.CreateClient(authority, "operator");
        var stranger = certificates.CreateClient(certificates.CreateAuthority("Other CA"), "stranger");
        var port = FreePort.Next();
        var url = $"https://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}";
        await using var broker = await BrokerProcess.StartAsync(null,
            "--Bifro:Admin:Enabled=true",
            $"--Bifro:Admin:Endpoint=127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}",
            "--Bifro:Admin:Tls:Enabled=true",
            $"--Bifro:Admin:Tls:Certificate:Path={server.CertificatePath}",
            $"--Bifro:Admin:Tls:Certificate:KeyPath={server.KeyPath}",
            $"--Bifro:Admin:Tls:ClientCaPath={authority.CertificatePath}");

        var accepted = await Curl.RunAsync("--cacert", authority.CertificatePath, "--cert", client.CertificatePath, "--key", client.KeyPath, $"{url}/api/cluster/members");
        var noCertificate = await Curl.RunAsync("--cacert", authority.CertificatePath, $"{url}/api/cluster/members");
        var probe = await Curl.RunAsync("--cacert", authority.CertificatePath, $"{url}/health/ready");
        var untrusted = await Curl.RunAsync("--cacert", authority.CertificatePath, "--cert", stranger.CertificatePath, "--key", stranger.KeyPath, $"{url}/api/cluster/members");
        var cli = await ExternalProcess.RunAsync(
            "dotnet",
            [RepositoryPaths.NodeAssembly, "admin", "cluster", "members", "--url", url, "--cacert", authority.CertificatePath, "--cert", client.CertificatePath, "--key", client.KeyPath],
            TimeSpan.FromSeconds(60));

        Assert.True(accepted.Status == 200, accepted.Raw + "\n--- broker\n" + broker.Output);
        Assert.Contains("Active", accepted.Body, StringComparison.Ordinal);
        Assert.True(noCertificate.Status == 401, noCertificate.Raw);
        Assert.Contains("client certificate", noCertificate.Body, StringComparison.Ordinal);
        Assert.True(probe.Status == 200, probe.Raw);

        // A certificate from another CA does not get through the handshake at all.
        Assert.True(untrusted.Status is 0 or -1 || untrusted.Status == 401, untrusted.Raw);
        Assert.NotEqual(200, untrusted.Status);
        Assert.True(cli.ExitCode == 0, cli.ToString());
        Assert.Contains("Active", cli.StandardOutput, StringComparison.Ordinal);
    }

    [Fact(Timeout = 60_000)]
    public async Task Start_AdminBeyondLoopbackWithoutCredentials_RefusedNamingTheKey()
    {
        var dataDirectory = Path.Combine(Path.GetTempPath(), "bifro-test-" + Guid.NewGuid().ToString("N"));
        try
        {
            var result = await ExternalProcess.RunAsync(
                "dotnet",
                [RepositoryPaths.NodeAssembly, "--data-dir", dataDirectory, "--auth", "allow-all", "--bind", "127.0.0.1", "--port", FreePort.Next().ToString(CultureInfo.InvariantCulture),
                    "--Bifro:Admin:Enabled=true", $"--Bifro:Admin:Endpoint=0.0.0.0:{FreePort.Next().ToString(CultureInfo.InvariantCulture)}"],
                TimeSpan.FromSeconds(30));

            Assert.False(result.TimedOut, result.ToString());
            Assert.Equal(2, result.ExitCode);
            Assert.Contains("Bifro:Admin:Tokens", result.StandardError, StringComparison.Ordinal);
            Assert.DoesNotContain("Bifro node started.", result.StandardOutput, StringComparison.Ordinal);
        }
        finally
        {
            if (Directory.Exists(dataDirectory))
            {
                Directory.Delete(dataDirectory, recursive: true);
            }
        }
    }
}
