using Bifro.TestKit;
using Xunit;

namespace Bifro.EndToEnd.Tests.Listeners;

/// <summary>A broker whose tcp and tls listeners both expect a PROXY protocol header first.</summary>
public sealed class ProxyProtocolBrokerFixture : IAsyncLifetime
{
    private readonly TestCertificates _certificates = TestCertificates.Create();

    public ProxyProtocolBrokerFixture()
    {
        Authority = _certificates.CreateAuthority("Bifro Test CA");
        Server = _certificates.CreateServer(Authority);
    }

    public BrokerProcess Broker { get; private set; } = null!;

    public CertificateFiles Authority { get; }

    public CertificateFiles Server { get; }

    public int TlsPort { get; } = FreePort.Next();

    public async Task InitializeAsync() => Broker = await BrokerProcess.StartAsync(null,
    [
        .. ListenerArguments.DebugLogs,
        "--Bifro:Mqtt:Tcp:ProxyProtocol=true",
        "--Bifro:Mqtt:ConnectTimeout=00:00:03",
        .. ListenerArguments.Tls("Tls", TlsPort, Server),
        "--Bifro:Mqtt:Tls:ProxyProtocol=true",
    ]);

    public async Task DisposeAsync()
    {
        if (Broker is not null)
        {
            await Broker.DisposeAsync();
        }

        _certificates.Dispose();
    }
}
