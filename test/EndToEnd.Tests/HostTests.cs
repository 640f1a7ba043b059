using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Bifro.EndToEnd.Tests.Clients;
using Bifro.TestKit;
using Xunit;

namespace Bifro.EndToEnd.Tests;

/// <summary>The node as a process: Ctrl+C, and configuration errors at start.</summary>
[Trait("Category", "EndToEnd")]
public sealed class HostTests
{
    [Fact(Timeout = 90_000)]
    public async Task Host_Interrupted_ExitsWithZeroAndTells5ClientsServerShuttingDown()
    {
        await using var broker = await BrokerProcess.StartAsync();
        await using var subscriber5 = await Mosquitto.StartSubscriberAsync(broker, "5", "-t", "host/stop", "-v");

        // Persistent sessions are detached from their inboxes on the way out.
        await using var persistent5 = await Mosquitto.StartSubscriberAsync(broker, "5", "-c", "-x", "300", "-i", "host-stop-5", "-t", "host/stop", "-q", "1");
        await using var persistent311 = await Mosquitto.StartSubscriberAsync(broker, "311", "-c", "-i", "host-stop-311", "-t", "host/stop", "-q", "1");

        var exitCode = await broker.StopAsync();

        Assert.True(exitCode == 0, $"exit {exitCode}\n{broker.Output}");

        // [MQTT-4.13.2] The server says why it closes: 0x8B Server shutting down.
        await subscriber5.WaitForLineAsync("Received DISCONNECT (139)", Mosquitto.DefaultTimeout);
        await persistent5.WaitForLineAsync("Received DISCONNECT (139)", Mosquitto.DefaultTimeout);
    }

    [Theory(Timeout = 60_000)]
    [InlineData("--Bifro:Mqtt:Tcp:Port=abc", "Bifro:Mqtt:Tcp:Port")]
    [InlineData("--Bifro:Mqtt:MaxPacketSize=1", "Bifro:Mqtt:MaxPacketSize")]
    [InlineData("--Bifro:Mqtt:ConnectTimeout=soon", "Bifro:Mqtt:ConnectTimeout")]
    [InlineData("--Bifro:Mqtt:MaxOfflineMessages=0", "Bifro:Mqtt:MaxOfflineMessages")]
    [InlineData("--Bifro:Mqtt:Tcp:BindAddress=nowhere", "Bifro:Mqtt:Tcp:BindAddress")]
    [InlineData("--Bifro:Mqtt:Tcp:Port=70000", "Bifro:Mqtt:Tcp:Port")]
    [InlineData("--Bifro:Mqtt:Tls:Enabled=true", "Bifro:Mqtt:Tls:Certificate:Path is required")]
    [InlineData("--Bifro:Mqtt:Wss:Enabled=true", "Bifro:Mqtt:Wss:Certificate:Path is required")]
    [InlineData("--Bifro:Mqtt:Tls:ClientCertificateMode=Sometimes", "Bifro:Mqtt:Tls:ClientCertificateMode")]
    [InlineData("--Bifro:Mqtt:Ws:ProxyProtocol=maybe", "Bifro:Mqtt:Ws:ProxyProtocol")]
    public async Task Host_BadConfigurationValue_ExitsNonZeroNamingTheKey(string argument, string key)
    {
        var dataDirectory = Path.Combine(Path.GetTempPath(), "bifro-test-" + Guid.NewGuid().ToString("N"));
        List<string> arguments = [RepositoryPaths.NodeAssembly, "--data-dir", dataDirectory, "--auth", "allow-all", argument];

        // --port and --bind win over the keys they stand for, so they are left out when the key is the one under test.
        // Should a bad value be accepted after all, the node runs on a loopback port of its own rather than 0.0.0.0:1883.
        if (!argument.Contains(":Tcp:Port=", StringComparison.Ordinal))
        {
            arguments.AddRange(["--port", FreePort.Next().ToString(CultureInfo.InvariantCulture)]);
        }

        if (!argument.Contains(":Tcp:BindAddress=", StringComparison.Ordinal))
        {
            arguments.AddRange(["--bind", "127.0.0.1"]);
        }

        await AssertRefusedToStartAsync(arguments, dataDirectory, key);
    }

    [Fact(Timeout = 60_000)]
    public async Task Host_PortInUse_ExitsNonZeroNamingTheKey()
    {
        using var occupant = new TcpListener(IPAddress.Loopback, 0);
        occupant.Start();
        var port = ((IPEndPoint)occupant.LocalEndpoint).Port;
        var dataDirectory = Path.Combine(Path.GetTempPath(), "bifro-test-" + Guid.NewGuid().ToString("N"));

        await AssertRefusedToStartAsync(
            [RepositoryPaths.NodeAssembly, "--data-dir", dataDirectory, "--auth", "allow-all", "--bind", "127.0.0.1", "--port", port.ToString(CultureInfo.InvariantCulture)],
            dataDirectory,
            "Bifro:Mqtt:Tcp:Port");
    }

    /// <summary>Runs the node (the same bifro.dll that <see cref="BrokerProcess"/> starts) and expects it to stop at once, naming <paramref name="key"/>.</summary>
    private static async Task AssertRefusedToStartAsync(List<string> arguments, string dataDirectory, string key)
    {
        try
        {
            var result = await ExternalProcess.RunAsync("dotnet", arguments, TimeSpan.FromSeconds(30));

            Assert.False(result.TimedOut, "The node started despite the bad value.\n" + result);
            Assert.NotEqual(0, result.ExitCode);
            Assert.Contains(key, result.StandardError, StringComparison.Ordinal);
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
