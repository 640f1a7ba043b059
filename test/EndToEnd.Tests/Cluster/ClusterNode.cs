using System.Globalization;
using Bifro.TestKit;

namespace Bifro.EndToEnd.Tests.Cluster;

/// <summary>
/// One <c>bifro</c> process of a test cluster: its MQTT port (through <see cref="Broker"/>), its silo and
/// gateway ports, and what its log says of the membership view it holds.
/// </summary>
public sealed class ClusterNode : IAsyncDisposable
{
    private bool _running = true;

    internal ClusterNode(string name, string role, int siloPort, int gatewayPort, BrokerProcess broker)
    {
        Name = name;
        Role = role;
        SiloPort = siloPort;
        GatewayPort = gatewayPort;
        Broker = broker;
    }

    /// <summary>Bifro:Node:Name.</summary>
    public string Name { get; }

    /// <summary>Bifro:Node:Role: "all" or "edge".</summary>
    public string Role { get; }

    public bool IsSilo => Role != "edge";

    public int SiloPort { get; }

    public int GatewayPort { get; }

    /// <summary>The process; the mosquitto and paho helpers take it to find the node's MQTT port.</summary>
    public BrokerProcess Broker { get; }

    public int Port => Broker.Port;

    /// <summary>False once the test killed or stopped the node, or the node stopped by itself.</summary>
    public bool IsRunning => _running && !Broker.Process.HasExited;

    public string Output => Broker.Output;

    /// <summary>The silo address this node has in the membership table ("127.0.0.1:port"), without the generation.</summary>
    public string Endpoint => "127.0.0.1:" + SiloPort.ToString(CultureInfo.InvariantCulture);

    /// <summary>
    /// The silo ports listed Active in the last membership view the node logged ("Membership changed: v6:
    /// 127.0.0.1:11901@154316198 Active, ..."), or null before it logged one.
    /// </summary>
    public IReadOnlySet<int>? LastActiveSiloPorts()
    {
        var lines = Broker.Output.Split('\n');
        for (var i = lines.Length - 1; i >= 0; i--)
        {
            var at = lines[i].IndexOf("Membership changed: v", StringComparison.Ordinal);
            if (at < 0)
            {
                continue;
            }

            var view = lines[i][(at + "Membership changed: ".Length)..];
            var ports = new HashSet<int>();
            foreach (var entry in view[(view.IndexOf(':', StringComparison.Ordinal) + 1)..].Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            {
                // "127.0.0.1:11901@154316198 Active"
                var parts = entry.Split(' ');
                if (parts.Length == 2 && parts[1] == "Active")
                {
                    var address = parts[0];
                    var colon = address.LastIndexOf(':');
                    var generation = address.IndexOf('@', StringComparison.Ordinal);
                    ports.Add(int.Parse(address[(colon + 1)..generation], CultureInfo.InvariantCulture));
                }
            }

            return ports;
        }

        return null;
    }

    /// <summary>kill -9.</summary>
    public async Task KillAsync()
    {
        _running = false;
        await Broker.KillAsync();
    }

    /// <summary>SIGINT, a graceful stop: the node leaves the membership table itself.</summary>
    public async Task StopAsync()
    {
        _running = false;
        await Broker.StopAsync();
    }

    public override string ToString() => $"{Name} ({Role}, mqtt {Port}, silo {SiloPort}, gateway {GatewayPort})";

    public async ValueTask DisposeAsync()
    {
        _running = false;
        await Broker.DisposeAsync();
    }
}
