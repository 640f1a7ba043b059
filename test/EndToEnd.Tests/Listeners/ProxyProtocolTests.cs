using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Bifro.EndToEnd.Tests.Clients;
using Bifro.TestKit;
using Xunit;

namespace Bifro.EndToEnd.Tests.Listeners;

/// <summary>
/// Listeners behind a load balancer: a raw client sends the PROXY protocol header a load balancer would, and the
/// node's connection log ("... from {address} on listener {name}") shows the address it took for the client's.
/// </summary>
[Trait("Category", "EndToEnd")]
public sealed class ProxyProtocolTests(ProxyProtocolBrokerFixture fixture) : IClassFixture<ProxyProtocolBrokerFixture>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(15);

    private BrokerProcess Broker => fixture.Broker;

    [Fact(Timeout = 60_000)]
    public async Task ProxyV1_Tcp_ClientAddressFromHeader()
    {
        var header = Encoding.ASCII.GetBytes("PROXY TCP4 203.0.113.7 192.0.2.1 40001 1883\r\n");

        await ConnectAndExpectAsync(Broker.Port, header, null, "proxy-v1", "from 203.0.113.7:40001 on listener tcp");
    }

    [Fact(Timeout = 60_000)]
    public async Task ProxyV2_TcpOverIPv6WithTlvs_ClientAddressFromHeader()
    {
        // ALPN and NOOP type-length-values after the addresses are skipped.
        byte[] tlvs = [0x01, 0x00, 0x04, .. "mqtt"u8, 0x04, 0x00, 0x02, 0x00, 0x00];
        var header = ProxyV2(command: 0x21, family: 0x21, [.. Ipv6("2001:db8::5"), .. Ipv6("2001:db8::1"), 0x9C, 0x42, 0x07, 0x5B, .. tlvs]);

        await ConnectAndExpectAsync(Broker.Port, header, null, "proxy-v2", "from [2001:db8::5]:40002 on listener tcp");
    }

    [Fact(Timeout = 60_000)]
    public async Task ProxyV2_Local_ConnectionKeepsItsOwnAddress()
    {
        // LOCAL: the load balancer's own health check.
        var header = ProxyV2(command: 0x20, family: 0x00, []);

        await ConnectAndExpectAsync(Broker.Port, header, null, "proxy-local", "proxy-local connected");
        Assert.Contains(Broker.Output.Split('\n'), line => line.Contains("proxy-local connected", StringComparison.Ordinal) && line.Contains("from 127.0.0.1:", StringComparison.Ordinal));
    }

    [Fact(Timeout = 60_000)]
    public async Task ProxyV2_Tls_HeaderBeforeHandshake_ClientAddressFromHeader()
    {
        var header = ProxyV2(command: 0x21, family: 0x11, [198, 51, 100, 9, 127, 0, 0, 1, 0x9C, 0x43, 0x22, 0xB3]);

        await ConnectAndExpectAsync(fixture.TlsPort, header, TlsAsync, "proxy-tls", "from 198.51.100.9:40003 on listener tls");
    }

    [Fact(Timeout = 60_000)]
    public async Task NoProxyHeader_ConnectionClosedWithoutConnAck()
    {
        await using var client = await RawMqttClient.ConnectAsync(Broker.Host, Broker.Port);
        await client.SendAsync(RawMqtt.Connect(4, "proxy-missing"));

        var packets = await client.ReadUntilClosedAsync(Timeout);

        Assert.Empty(packets);
    }

    private async Task ConnectAndExpectAsync(int port, byte[] header, Func<Stream, Task<Stream>>? wrap, string clientId, string logged)
    {
        await using var client = await RawMqttClient.ConnectAsync(Broker.Host, port, header, wrap);
        await client.SendAsync(RawMqtt.Connect(4, clientId));
        var connAck = await client.ReadAsync(Timeout);
        Assert.True(connAck is { Type: RawMqtt.ConnAck, ReasonCode: 0 }, $"CONNACK expected, got {connAck}\n{Broker.Output}");

        var line = await Broker.Process.WaitForLineAsync(l => l.Contains($"/{clientId} connected", StringComparison.Ordinal), Timeout);
        Assert.Contains(logged, line, StringComparison.Ordinal);
    }

    private async Task<Stream> TlsAsync(Stream stream)
    {
        var tls = new SslStream(stream, leaveInnerStreamOpen: false);
        var policy = new X509ChainPolicy { TrustMode = X509ChainTrustMode.CustomRootTrust, RevocationMode = X509RevocationMode.NoCheck };
        policy.CustomTrustStore.Add(fixture.Authority.Certificate);
        using var cts = new CancellationTokenSource(Timeout);
        await tls.AuthenticateAsClientAsync(
            new SslClientAuthenticationOptions { TargetHost = "localhost", CertificateChainPolicy = policy },
            cts.Token);
        return tls;
    }

    private static byte[] ProxyV2(byte command, byte family, byte[] block) =>
    [
        0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A,
        command, family, (byte)(block.Length >> 8), (byte)block.Length,
        .. block,
    ];

    private static byte[] Ipv6(string address) => System.Net.IPAddress.Parse(address).GetAddressBytes();
}
