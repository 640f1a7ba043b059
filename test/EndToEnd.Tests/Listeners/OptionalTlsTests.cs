using Bifro.EndToEnd.Tests.Clients;
using Bifro.TestKit;
using Xunit;

namespace Bifro.EndToEnd.Tests.Listeners;

/// <summary>The tls listener with ClientCertificateMode Optional: a certificate is asked for, not required, and checked when given.</summary>
[Trait("Category", "EndToEnd")]
public sealed class OptionalTlsTests(OptionalTlsBrokerFixture fixture) : IClassFixture<OptionalTlsBrokerFixture>
{
    private BrokerProcess Broker => fixture.Broker;

    [Fact(Timeout = 60_000)]
    public async Task Optional_NoClientCertificate_Accepted()
    {
        await using var subscriber = await Mosquitto.StartSubscriberOnAsync(Broker, fixture.TlsPort, "311", "--cafile", fixture.Authority.CertificatePath, "-t", "optional/none", "-v");

        var result = await Mosquitto.PublishToAsync(Broker, fixture.TlsPort, "5", "--cafile", fixture.Authority.CertificatePath, "-t", "optional/none", "-m", "one-way");

        Assert.True(result.ExitCode == 0, result + "\n--- broker\n" + Broker.Output);
        await subscriber.WaitForLineAsync("optional/none one-way", Mosquitto.DefaultTimeout);
    }

    [Fact(Timeout = 60_000)]
    public async Task Optional_TrustedClientCertificate_AcceptedAndSeen()
    {
        var result = await Mosquitto.PublishToAsync(
            Broker, fixture.TlsPort, "311",
            "--cafile", fixture.Authority.CertificatePath, "--cert", fixture.Client.CertificatePath, "--key", fixture.Client.KeyPath,
            "-t", "optional/trusted", "-m", "x");

        Assert.True(result.ExitCode == 0, result + "\n--- broker\n" + Broker.Output);
        await Broker.Process.WaitForLineAsync("presented client certificate CN=client-optional", Mosquitto.DefaultTimeout);
    }

    [Fact(Timeout = 60_000)]
    public async Task Optional_UntrustedClientCertificate_Refused()
    {
        var result = await Mosquitto.PublishToAsync(
            Broker, fixture.TlsPort, "311",
            "--cafile", fixture.Authority.CertificatePath, "--cert", fixture.UntrustedClient.CertificatePath, "--key", fixture.UntrustedClient.KeyPath,
            "-t", "optional/untrusted", "-m", "x");

        Assert.True(result.ExitCode != 0, result.ToString());
    }
}
