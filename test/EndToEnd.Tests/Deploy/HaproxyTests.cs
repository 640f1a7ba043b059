using System.Globalization;
using System.Text.RegularExpressions;
using Bifro.EndToEnd.Tests.Clients;
using Bifro.EndToEnd.Tests.Listeners;
using Bifro.TestKit;
using Xunit;

namespace Bifro.EndToEnd.Tests.Deploy;

/// <summary>
/// deploy/haproxy/haproxy.cfg run for real: HAProxy in TCP mode in front of Bifro, sending PROXY protocol
/// v2 from its own source address (127.0.0.3), so that Bifro sees the client's address (127.0.0.1) only
/// through the header; its MQTT CONNECT/CONNACK health check takes a node that does not answer out of
/// rotation. The shipped file is used as is, with the addresses and ports of this machine put in.
/// </summary>
[Trait("Category", "EndToEnd")]
public sealed partial class HaproxyTests(HaproxyFixture fixture) : IClassFixture<HaproxyFixture>
{
    [Fact(Timeout = 90_000)]
    public async Task Haproxy_ProxyProtocolV2_BifroSeesTheClientsAddress()
    {
        var result = await Mosquitto.PublishToAsync(fixture.Broker, fixture.MqttPort, "5", "-i", "through-haproxy", "-t", "lb/hello", "-m", "hi");

        Assert.True(result.ExitCode == 0, result + "\n--- haproxy\n" + fixture.Haproxy.Output);
        var line = await fixture.Broker.Process.WaitForLineAsync(
            l => l.Contains("through-haproxy", StringComparison.Ordinal) && l.Contains("on listener tcp", StringComparison.Ordinal), Mosquitto.DefaultTimeout);

        // HAProxy's connection comes from 127.0.0.3; the address Bifro took is the client's, from the header.
        Assert.Contains("from 127.0.0.1:", line, StringComparison.Ordinal);
        Assert.DoesNotContain("127.0.0.3", line, StringComparison.Ordinal);
    }

    [Fact(Timeout = 90_000)]
    public async Task Haproxy_MqttHealthCheck_TakesTheDeadNodeOutOfRotation()
    {
        // Of the servers, only the first runs Bifro; once the checks have marked every other one down,
        // every connection lands on the first. (A server starts UP and needs "fall" failed checks to go
        // down, so waiting for the second alone let a connection reach the third while it was still up.)
        await Eventually.TrueAsync(
            async () => await fixture.ServerStatusAsync() is { } status && OnlyFirstIsUp(status),
            TimeSpan.FromSeconds(30),
            "HAProxy marks bifro-1 up and every other server down");

        for (var i = 0; i < 6; i++)
        {
            var result = await Mosquitto.PublishToAsync(fixture.Broker, fixture.MqttPort, "311", "-i", $"rotation-{i}", "-t", "lb/rotation", "-m", "x");
            Assert.True(result.ExitCode == 0, $"connection {i}: {result}");
        }

        // The health check itself is an MQTT session: Bifro logged its CONNECT, behind a PROXY header too.
        Assert.Contains(fixture.Broker.Output.Split('\n'), l => l.Contains("hc connected", StringComparison.Ordinal) || l.Contains("default/hc", StringComparison.Ordinal));
    }

    private static bool OnlyFirstIsUp(IReadOnlyDictionary<string, string> status)
    {
        if (status.Count < 2 || !status.TryGetValue("bifro-1", out var first) || first != "UP")
        {
            return false;
        }

        foreach (var (name, state) in status)
        {
            if (name != "bifro-1" && state != "DOWN")
            {
                return false;
            }
        }

        return true;
    }
}

/// <summary>Bifro with PROXY protocol on its TCP listener, and HAProxy run from the shipped configuration.</summary>
public sealed partial class HaproxyFixture : IAsyncLifetime
{
    private string? _directory;

    public BrokerProcess Broker { get; private set; } = null!;

    public RunningProcess Haproxy { get; private set; } = null!;

    /// <summary>HAProxy's MQTT frontend.</summary>
    public int MqttPort { get; } = FreePort.Next();

    private int StatsPort { get; } = FreePort.Next();

    public async Task InitializeAsync()
    {
        Broker = await BrokerProcess.StartAsync(null, [.. ListenerArguments.DebugLogs, "--Bifro:Mqtt:Tcp:ProxyProtocol=true"]);
        var deadPort = FreePort.Next();
        var haproxy = new[] { "/usr/sbin/haproxy", "/usr/bin/haproxy" }.FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException("haproxy is not installed (apt-get install haproxy; .ci/run installs it).");

        var shipped = await File.ReadAllTextAsync(Path.Combine(RepositoryPaths.Root, "deploy", "haproxy", "haproxy.cfg"));
        var configuration = Localize(shipped, Broker.Port, deadPort, FreePort.Next()) + $"""

            listen stats
                mode http
                bind 127.0.0.1:{StatsPort}
                stats enable
                stats uri /stats

            """;
        _directory = Directory.CreateTempSubdirectory("bifro-haproxy-").FullName;
        var path = Path.Combine(_directory, "haproxy.cfg");
        await File.WriteAllTextAsync(path, configuration);
        Haproxy = ExternalProcess.StartBackground(haproxy, ["-db", "-f", path]);
        try
        {
            await Eventually.TrueAsync(async () => await ServerStatusAsync() is not null, TimeSpan.FromSeconds(20), "HAProxy serves its stats");
        }
        catch (TimeoutException exception)
        {
            throw new TimeoutException(exception.Message + "\n--- haproxy\n" + Haproxy.Output, exception);
        }
    }

    public async Task DisposeAsync()
    {
        if (Haproxy is not null)
        {
            await Haproxy.DisposeAsync();
        }

        if (Broker is not null)
        {
            await Broker.DisposeAsync();
        }

        if (_directory is not null)
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    /// <summary>The status of each MQTT backend server by name ("UP", "DOWN", ...), or null while HAProxy is not up.</summary>
    public async Task<IReadOnlyDictionary<string, string>?> ServerStatusAsync()
    {
        try
        {
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
            var csv = await http.GetStringAsync($"http://127.0.0.1:{StatsPort}/stats;csv");
            var status = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var row in csv.Split('\n'))
            {
                var fields = row.Split(',');
                if (fields.Length > 17 && fields[0] == "bifro_mqtt" && fields[1] != "BACKEND")
                {
                    status[fields[1]] = fields[17];
                }
            }

            return status.Count > 0 ? status : null;
        }
        catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException)
        {
            return null;
        }
    }

    /// <summary>
    /// The shipped file with this machine's addresses: frontends on loopback ports, the first MQTT server
    /// the running node and the others a port nobody listens on, connections to the servers from
    /// 127.0.0.3, and a connection limit that a test machine's file limit allows.
    /// </summary>
    private string Localize(string shipped, int bifroPort, int deadPort, int tlsPort)
    {
        var servers = 0;
        var text = ServerLine().Replace(shipped, match =>
        {
            var backendPort = match.Groups["port"].Value;
            var port = backendPort == "1883" ? (servers++ == 0 ? bifroPort : deadPort) : deadPort;
            return $"{match.Groups["lead"].Value}server {match.Groups["name"].Value} 127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)} source 127.0.0.3";
        });
        Assert.True(servers >= 2, "the shipped backend has at least two MQTT servers");
        return text
            .Replace("bind :1883", $"bind 127.0.0.1:{MqttPort.ToString(CultureInfo.InvariantCulture)}", StringComparison.Ordinal)
            .Replace("bind :8883", $"bind 127.0.0.1:{tlsPort.ToString(CultureInfo.InvariantCulture)}", StringComparison.Ordinal)
            .Replace("maxconn 100000", "maxconn 1000", StringComparison.Ordinal);
    }

    [GeneratedRegex(@"^(?<lead>\s+)server (?<name>\S+) \S+:(?<port>\d+)", RegexOptions.Multiline)]
    private static partial Regex ServerLine();
}
