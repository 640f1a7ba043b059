using System.Globalization;
using System.Text;
using Bifro.TestKit;

namespace Bifro.EndToEnd.Tests.Cluster;

/// <summary>
/// A cluster of <c>bifro</c> processes on loopback, as users run one: each node with its own MQTT, silo
/// and gateway ports, all on one PostgreSQL database (membership and grain state), with short membership
/// timeouts. Tests start nodes, kill them (-9), and wait until every node's view agrees on who is alive.
/// </summary>
public sealed class BifroCluster : IAsyncDisposable
{
    public static readonly TimeSpan FormationTimeout = TimeSpan.FromSeconds(40);

    private readonly List<ClusterNode> _nodes = new();
    private int _nextIndex;

    private BifroCluster(ClusterSettings settings, string connectionString)
    {
        Settings = settings;
        ConnectionString = connectionString;
    }

    public ClusterSettings Settings { get; }

    public string ConnectionString { get; }

    public string ClusterId => Settings.ClusterId;

    /// <summary>Every node started, running or not, in start order.</summary>
    public IReadOnlyList<ClusterNode> Nodes
    {
        get
        {
            lock (_nodes)
            {
                return _nodes.ToList();
            }
        }
    }

    public ClusterNode this[int index] => Nodes[index];

    /// <summary>
    /// Makes the database (unless the settings name one), applies the schema with <c>bifro migrate</c>,
    /// starts <paramref name="silos"/> nodes (silo and edge in one process) at once, and waits until each
    /// sees all of them active.
    /// </summary>
    public static async Task<BifroCluster> StartAsync(int silos, ClusterSettings? settings = null, Func<int, string[]>? nodeArguments = null)
    {
        var cluster = await CreateAsync(settings ?? new ClusterSettings());
        try
        {
            await Task.WhenAll(Enumerable.Range(0, silos).Select(i => cluster.StartNodeAsync(arguments: nodeArguments?.Invoke(i) ?? [])));
            await cluster.WaitForViewAsync();
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    /// <summary>A cluster with no node yet, its database ready.</summary>
    public static async Task<BifroCluster> CreateAsync(ClusterSettings settings)
    {
        var connectionString = settings.ConnectionString ?? await PostgresServer.CreateDatabaseAsync("bifro_cluster");
        var migrate = await ExternalProcess.RunAsync(
            "dotnet", [RepositoryPaths.NodeAssembly, "migrate", "--connection-string", connectionString], TimeSpan.FromSeconds(60));
        if (migrate.ExitCode != 0)
        {
            throw new InvalidOperationException("bifro migrate failed.\n" + migrate);
        }

        return new BifroCluster(settings, connectionString);
    }

    /// <summary>Starts a node and waits until it says it started (not until the others see it: see <see cref="WaitForViewAsync"/>).</summary>
    public async Task<ClusterNode> StartNodeAsync(string role = "all", params string[] arguments)
    {
        var node = LaunchNode(role, arguments);
        await node.Broker.WaitUntilStartedAsync();
        return node;
    }

    /// <summary>Starts a node's process and returns at once: for a node that the cluster may refuse.</summary>
    public ClusterNode LaunchNode(string role = "all", params string[] arguments)
    {
        var index = Interlocked.Increment(ref _nextIndex);
        var name = $"{ClusterId}-{(role == "edge" ? "edge" : "node")}{index}";
        var siloPort = FreePort.Next();
        var gatewayPort = FreePort.Next();
        var broker = BrokerProcess.Launch(null,
        [
            "--Bifro:Cluster:Provider=postgres",
            "--Bifro:Cluster:Postgres:ConnectionString=" + ConnectionString,
            "--Bifro:Cluster:ClusterId=" + ClusterId,
            "--Bifro:Cluster:ServiceId=" + Settings.ServiceId,
            "--Bifro:Node:Role=" + role,
            "--Bifro:Node:Name=" + name,
            "--Bifro:Cluster:Transport:BindAddress=127.0.0.1",
            "--Bifro:Cluster:Transport:SiloPort=" + siloPort.ToString(CultureInfo.InvariantCulture),
            "--Bifro:Cluster:Transport:GatewayPort=" + gatewayPort.ToString(CultureInfo.InvariantCulture),
            .. ClusterSettings.ShortMembershipTimeouts,
            .. Settings.Arguments,
            .. arguments,
        ]);
        var node = new ClusterNode(name, role, siloPort, gatewayPort, broker);
        lock (_nodes)
        {
            _nodes.Add(node);
        }

        return node;
    }

    /// <summary>The running nodes that host grains.</summary>
    public IReadOnlyList<ClusterNode> RunningSilos => Nodes.Where(n => n.IsRunning && n.IsSilo).ToList();

    /// <summary>
    /// Waits until every running node's last logged view lists exactly the running silos as active: after
    /// a start, every node knows every other; after a kill, the dead silo has been declared dead and
    /// everyone knows it.
    /// </summary>
    public async Task WaitForViewAsync(TimeSpan? timeout = null)
    {
        try
        {
            await Eventually.TrueAsync(() =>
            {
                var expected = RunningSilos.Select(n => n.SiloPort).ToHashSet();
                return Nodes.Where(n => n.IsRunning).All(n => n.LastActiveSiloPorts() is { } seen && seen.SetEquals(expected));
            }, timeout ?? FormationTimeout);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException("The nodes did not agree on the active silos in time.\n" + Describe());
        }
    }

    /// <summary>Every node's log, for failure messages.</summary>
    public string Describe(int tail = 8000)
    {
        var text = new StringBuilder();
        foreach (var node in Nodes)
        {
            var log = node.Output;
            if (log.Length > tail)
            {
                log = "...\n" + log[^tail..];
            }

            text.Append("--- ").Append(node).Append(node.IsRunning ? string.Empty : " (stopped)").Append('\n').Append(log).Append('\n');
        }

        return text.ToString();
    }

    public async ValueTask DisposeAsync()
    {
        // Killed, not stopped: a graceful stop of three nodes costs seconds, and nothing outlives the test.
        await Task.WhenAll(Nodes.Select(n => n.DisposeAsync().AsTask()));
    }
}
