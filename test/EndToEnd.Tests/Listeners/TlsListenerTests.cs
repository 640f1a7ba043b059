using Bifro.EndToEnd.Tests.Clients;
using Bifro.TestKit;
using Xunit;

namespace Bifro.EndToEnd.Tests.Listeners;

/// <summary>The tls listener with mutual TLS required, driven by mosquitto_pub/sub and openssl s_client.</summary>
[Trait("Category", "EndToEnd")]
public sealed class TlsListenerTests(AllListenersBrokerFixture fixture) : IClassFixture<AllListenersBrokerFixture>
{
    private BrokerProcess Broker => fixture.Broker;

    [Fact(Timeout = 60_000)]
    public async Task Tls_MutualTls_MessagesFlowBetweenTlsAndTcpClients()
    {
        string[] tls = ["--cafile", fixture.Authority.CertificatePath, "--cert", fixture.Client.CertificatePath, "--key", fixture.Client.KeyPath];
        await using var subscriber = await Mosquitto.StartSubscriberOnAsync(Broker, fixture.TlsPort, "5", [.. tls, "-t", "tls/mutual", "-q", "1", "-v"]);

        var published = await Mosquitto.PublishAsync(Broker, "311", "-t", "tls/mutual", "-m", "from-tcp", "-q", "1");
        Assert.True(published.ExitCode == 0, published.ToString());
        await subscriber.WaitForLineAsync("tls/mutual from-tcp", Mosquitto.DefaultTimeout);

        // And the other way: a TLS publisher, a plain TCP subscriber.
        await using var tcpSubscriber = await Mosquitto.StartSubscriberAsync(Broker, "311", "-t", "tls/mutual/back", "-v");
        var tlsPublished = await Mosquitto.PublishToAsync(Broker, fixture.TlsPort, "311", [.. tls, "-t", "tls/mutual/back", "-m", "from-tls"]);
        Assert.True(tlsPublished.ExitCode == 0, tlsPublished + "\n--- broker\n" + Broker.Output);
        await tcpSubscriber.WaitForLineAsync("tls/mutual/back from-tls", Mosquitto.DefaultTimeout);

        // The connection is known by its listener, and the certificate was seen.
        await Broker.Process.WaitForLineAsync(line => line.Contains("on listener tls", StringComparison.Ordinal), Mosquitto.DefaultTimeout);
        await Broker.Process.WaitForLineAsync("presented client certificate CN=client-one", Mosquitto.DefaultTimeout);
    }

    [Fact(Timeout = 60_000)]
    public async Task Tls_RequireAndNoClientCertificate_HandshakeRefused()
    {
        var result = await Mosquitto.PublishToAsync(Broker, fixture.TlsPort, "311", "--cafile", fixture.Authority.CertificatePath, "-t", "tls/none", "-m", "x");

        Assert.True(result.ExitCode != 0, result.ToString());
        await Broker.Process.WaitForLineAsync("failed: no client certificate", Mosquitto.DefaultTimeout);
    }

    [Fact(Timeout = 60_000)]
    public async Task Tls_ClientCertificateFromUntrustedAuthority_HandshakeRefused()
    {
        var result = await Mosquitto.PublishToAsync(
            Broker, fixture.TlsPort, "311",
            "--cafile", fixture.Authority.CertificatePath, "--cert", fixture.UntrustedClient.CertificatePath, "--key", fixture.UntrustedClient.KeyPath,
            "-t", "tls/untrusted", "-m", "x");

        Assert.True(result.ExitCode != 0, result.ToString());
        // The chain leads to no configured CA: PartialChain (the client sent no root) or UntrustedRoot.
        await Broker.Process.WaitForLineAsync(
            line => line.Contains("TLS handshake with", StringComparison.Ordinal) &&
                    (line.Contains("PartialChain", StringComparison.Ordinal) || line.Contains("UntrustedRoot", StringComparison.Ordinal)),
            Mosquitto.DefaultTimeout);
    }

    [Fact(Timeout = 60_000)]
    public async Task Tls_ServerCertificateNotTrustedByClient_ClientRefuses()
    {
        var result = await Mosquitto.PublishToAsync(
            Broker, fixture.TlsPort, "311",
            "--cafile", fixture.OtherAuthority.CertificatePath, "--cert", fixture.Client.CertificatePath, "--key", fixture.Client.KeyPath,
            "-t", "tls/wrong-ca", "-m", "x");

        Assert.True(result.ExitCode != 0, result.ToString());
    }

    [Theory(Timeout = 60_000)]
    [InlineData("-tls1_2", "TLSv1.2")]
    [InlineData("-tls1_3", "TLSv1.3")]
    public async Task Tls_Tls12And13_HandshakeCompletes(string option, string protocol)
    {
        var result = await OpenSsl.ClientAsync(fixture.TlsPort, option, "-CAfile", fixture.Authority.CertificatePath, "-cert", fixture.Client.CertificatePath, "-key", fixture.Client.KeyPath);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains($"Protocol version: {protocol}", result.StandardOutput + result.StandardError, StringComparison.Ordinal);
    }

    [Theory(Timeout = 60_000)]
    [InlineData("-tls1_1")]
    [InlineData("-tls1")]
    public async Task Tls_OlderProtocol_ServerRefusesHandshake(string option)
    {
        var result = await OpenSsl.ClientAsync(fixture.TlsPort, option, "-CAfile", fixture.Authority.CertificatePath, "-cert", fixture.Client.CertificatePath, "-key", fixture.Client.KeyPath);

        // The client offers the old protocol (security level 0 allows it); the server answers with a protocol_version alert.
        Assert.True(result.ExitCode != 0, result.ToString());
        Assert.Contains("alert protocol version", result.StandardOutput + result.StandardError, StringComparison.Ordinal);
    }
}
