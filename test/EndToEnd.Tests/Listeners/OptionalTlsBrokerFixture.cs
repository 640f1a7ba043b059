using Bifro.TestKit;
using Xunit;

namespace Bifro.EndToEnd.Tests.Listeners;

/// <summary>A broker whose tls listener asks for client certificates from <see cref="Authority"/> but does not require one.</summary>
public sealed class OptionalTlsBrokerFixture : IAsyncLifetime
{
    private readonly TestCertificates _certificates = TestCertificates.Create();

    public OptionalTlsBrokerFixture()
    {
        Authority = _certificates.CreateAuthority("Bifro Test CA");
        Server = _certificates.CreateServer(Authority);
        Client = _certificates.CreateClient(Authority, "client-optional");
        UntrustedClient = _certificates.CreateClient(_certificates.CreateAuthority("Other CA"), "client-untrusted");
    }

    public BrokerProcess Broker { get; private set; } = null!;

    public CertificateFiles Authority { get; }

    public CertificateFiles Server { get; }

    public CertificateFiles Client { get; }

    public CertificateFiles UntrustedClient { get; }

    public int TlsPort { get; } = FreePort.Next();

    public async Task InitializeAsync() => Broker = await BrokerProcess.StartAsync(null,
        [.. ListenerArguments.DebugLogs, .. ListenerArguments.Tls("Tls", TlsPort, Server, "Optional", Authority)]);

    public async Task DisposeAsync()
    {
        if (Broker is not null)
        {
            await Broker.DisposeAsync();
        }

        _certificates.Dispose();
    }
}
