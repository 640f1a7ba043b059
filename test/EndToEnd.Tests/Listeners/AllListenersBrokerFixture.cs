using Bifro.TestKit;
using Xunit;

namespace Bifro.EndToEnd.Tests.Listeners;

/// <summary>
/// A broker with every listener: tcp; tls requiring client certificates from <see cref="Authority"/>; ws; and
/// wss whose certificate comes from a PKCS#12 file, without client certificates.
/// </summary>
public sealed class AllListenersBrokerFixture : IAsyncLifetime
{
    private readonly TestCertificates _certificates = TestCertificates.Create();

    public AllListenersBrokerFixture()
    {
        Authority = _certificates.CreateAuthority("Bifro Test CA");
        OtherAuthority = _certificates.CreateAuthority("Other CA");
        Server = _certificates.CreateServer(Authority);
        Client = _certificates.CreateClient(Authority, "client-one");
        UntrustedClient = _certificates.CreateClient(OtherAuthority, "client-untrusted");
    }

    public BrokerProcess Broker { get; private set; } = null!;

    public CertificateFiles Authority { get; }

    public CertificateFiles OtherAuthority { get; }

    public CertificateFiles Server { get; }

    public CertificateFiles Client { get; }

    public CertificateFiles UntrustedClient { get; }

    public int TlsPort { get; } = FreePort.Next();

    public int WsPort { get; } = FreePort.Next();

    public int WssPort { get; } = FreePort.Next();

    public async Task InitializeAsync() => Broker = await BrokerProcess.StartAsync(null,
    [
        .. ListenerArguments.DebugLogs,
        .. ListenerArguments.Tls("Tls", TlsPort, Server, "Require", Authority),
        .. ListenerArguments.Listener("Ws", WsPort),
        .. ListenerArguments.Listener("Wss", WssPort),
        $"--Bifro:Mqtt:Wss:Certificate:Path={Server.Pkcs12Path}",
        $"--Bifro:Mqtt:Wss:Certificate:Password={Server.Password}",
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
