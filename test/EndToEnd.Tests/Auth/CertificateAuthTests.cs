using Bifro.EndToEnd.Tests.Clients;
using Bifro.EndToEnd.Tests.Listeners;
using Bifro.TestKit;
using Xunit;

namespace Bifro.EndToEnd.Tests.Auth;

/// <summary>
/// Devices authenticated by their client certificate: a mutual-TLS listener validates the chain, the
/// file provider takes the certificate's CN as the user name (certificateUsername "cn"), and ACL rules
/// with %u scope each device to its own topics. An operator with a password watches over plain TCP.
/// </summary>
[Trait("Category", "EndToEnd")]
public sealed class CertificateAuthTests(CertificateAuthBrokerFixture fixture) : IClassFixture<CertificateAuthBrokerFixture>
{
    private BrokerProcess Broker => fixture.Broker;

    [Theory(Timeout = 60_000)]
    [InlineData("311")]
    [InlineData("5")]
    public async Task Certificate_KnownDevice_ConnectsWithoutPasswordAsItsCommonName(string version)
    {
        var topic = $"devices/sensor-17/temperature-{version}";
        await using var operatorView = await Mosquitto.StartSubscriberAsync(Broker, "5", ["-u", "ops", "-P", CertificateAuthBrokerFixture.Password, "-t", "devices/#", "-q", "1", "-v"]);

        var published = await Mosquitto.PublishToAsync(Broker, fixture.TlsPort, version, [.. fixture.TlsArguments(fixture.Sensor), "-t", topic, "-m", "21.5", "-q", "1"]);

        Assert.True(published.ExitCode == 0, published + "\n--- broker\n" + Broker.Output);
        await operatorView.WaitForLineAsync($"{topic} 21.5", Mosquitto.DefaultTimeout);
    }

    [Fact(Timeout = 60_000)]
    public async Task Certificate_ValidChainButUnknownDevice_BadUserName()
    {
        // The CA signed it, so TLS accepts it; the provider knows no user "intruder" (CONNACK 0x86).
        var result = await Mosquitto.PublishToAsync(Broker, fixture.TlsPort, "5", [.. fixture.TlsArguments(fixture.Unknown), "-t", "devices/intruder/x", "-m", "x"]);

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("Bad User Name or Password", result.StandardError + result.StandardOutput, StringComparison.Ordinal);
    }

    [Fact(Timeout = 60_000)]
    public async Task Certificate_IdentityScopesTheAcl_OtherDevicesTopicsDenied()
    {
        await using var operatorView = await Mosquitto.StartSubscriberAsync(Broker, "5", ["-u", "ops", "-P", CertificateAuthBrokerFixture.Password, "-t", "devices/#", "-v"]);

        // sensor-17 may publish under devices/sensor-17/# only: the QoS 0 publish elsewhere is dropped
        // (DeniedQoS0Publish=drop here), and the marker it publishes next on its own topic is delivered.
        var result = await Mosquitto.PublishToAsync(Broker, fixture.TlsPort, "5", [.. fixture.TlsArguments(fixture.Sensor), "-t", "devices/sensor-99/temperature", "-m", "spoofed"]);
        Assert.True(result.ExitCode == 0, result.ToString());
        var marker = await Mosquitto.PublishToAsync(Broker, fixture.TlsPort, "5", [.. fixture.TlsArguments(fixture.Sensor), "-t", "devices/sensor-17/marker", "-m", "after"]);
        Assert.True(marker.ExitCode == 0, marker.ToString());

        await operatorView.WaitForLineAsync("devices/sensor-17/marker after", Mosquitto.DefaultTimeout);
        Assert.DoesNotContain(Mosquitto.Messages(operatorView), m => m.StartsWith("devices/sensor-99", StringComparison.Ordinal));
    }
}

/// <summary>A node with a mutual-TLS listener and the file provider naming certificate users by their CN.</summary>
public sealed class CertificateAuthBrokerFixture : IAsyncLifetime
{
    public const string Password = "secret";

    private readonly TestCertificates _certificates = TestCertificates.Create();
    private string? _directory;

    public CertificateAuthBrokerFixture()
    {
        Authority = _certificates.CreateAuthority("Devices CA");
        Server = _certificates.CreateServer(Authority);
        Sensor = _certificates.CreateClient(Authority, "sensor-17");
        Unknown = _certificates.CreateClient(Authority, "intruder");
    }

    public BrokerProcess Broker { get; private set; } = null!;

    public CertificateFiles Authority { get; }

    public CertificateFiles Server { get; }

    public CertificateFiles Sensor { get; }

    public CertificateFiles Unknown { get; }

    public int TlsPort { get; } = FreePort.Next();

    public string[] TlsArguments(CertificateFiles client) =>
        ["--cafile", Authority.CertificatePath, "--cert", client.CertificatePath, "--key", client.KeyPath];

    public async Task InitializeAsync()
    {
        _directory = Directory.CreateTempSubdirectory("bifro-cert-auth-").FullName;
        var users = Path.Combine(_directory, "users.json");
        var hash = await FileAuthBrokerFixture.HashPasswordAsync(Password);
        await File.WriteAllTextAsync(users, $$"""
            {
              "certificateUsername": "cn",
              "users": [
                { "username": "sensor-17", "certificate": true, "tenant": "plant" },
                { "username": "ops", "password": "{{hash}}", "tenant": "plant" }
              ],
              "acl": [
                { "effect": "allow", "actions": ["subscribe"], "user": "ops", "topics": ["devices/#"] },
                { "effect": "allow", "actions": ["publish"], "topics": ["devices/%u/#"] }
              ]
            }
            """);
        Broker = await BrokerProcess.StartAsync(null,
        [
            .. ListenerArguments.Tls("Tls", TlsPort, Server, "Require", Authority),
            "--auth", "file",
            $"--Bifro:Auth:File:Path={users}",
            "--Bifro:Auth:DeniedQoS0Publish=drop",
            "--Bifro:Auth:FailedConnectDelayMin=00:00:00",
            "--Bifro:Auth:FailedConnectDelayMax=00:00:00.05",
        ]);
    }

    public async Task DisposeAsync()
    {
        if (Broker is not null)
        {
            await Broker.DisposeAsync();
        }

        _certificates.Dispose();
        Directory.Delete(_directory!, recursive: true);
    }
}
