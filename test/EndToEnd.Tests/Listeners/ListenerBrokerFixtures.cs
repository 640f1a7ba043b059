using System.Globalization;
using Bifro.TestKit;
using Xunit;

namespace Bifro.EndToEnd.Tests.Listeners;

/// <summary>Command-line arguments that open a listener on a free loopback port.</summary>
internal static class ListenerArguments
{
    /// <summary>Debug logs of the edge: connections ("... from {address} on listener {name}") and listener decisions.</summary>
    public static readonly string[] DebugLogs = ["--Logging:LogLevel:Bifro.MqttEdge=Debug"];

    public static string[] Listener(string section, int port) =>
    [
        $"--Bifro:Mqtt:{section}:Enabled=true",
        $"--Bifro:Mqtt:{section}:BindAddress=127.0.0.1",
        $"--Bifro:Mqtt:{section}:Port={port.ToString(CultureInfo.InvariantCulture)}",
    ];

    /// <summary>A TLS listener with a PEM certificate and key, asking clients for certificates per <paramref name="mode"/>.</summary>
    public static string[] Tls(string section, int port, CertificateFiles server, string mode = "None", CertificateFiles? clientAuthority = null) =>
    [
        .. Listener(section, port),
        $"--Bifro:Mqtt:{section}:Certificate:Path={server.CertificatePath}",
        $"--Bifro:Mqtt:{section}:Certificate:KeyPath={server.KeyPath}",
        $"--Bifro:Mqtt:{section}:ClientCertificateMode={mode}",
        .. clientAuthority is null ? Array.Empty<string>() : [$"--Bifro:Mqtt:{section}:ClientCaPath={clientAuthority.CertificatePath}"],
    ];
}

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
