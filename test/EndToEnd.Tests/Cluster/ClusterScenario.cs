using System.Globalization;
using Bifro.EndToEnd.Tests.Clients;
using Bifro.TestKit;
using Xunit;
using Xunit.Abstractions;

namespace Bifro.EndToEnd.Tests.Cluster;

/// <summary>Runs python/cluster.py (paho-mqtt) against a cluster: the nodes' MQTT ports go as --param ports=..., in node order.</summary>
internal static class ClusterScenario
{
    private const string Script = "cluster.py";

    /// <summary>Runs a scenario to completion; fails the test, with the script's output and every node's log, unless it holds.</summary>
    public static async Task AssertAsync(BifroCluster cluster, string scenario, string id, params (string Name, object Value)[] parameters) =>
        await AssertAsync(null, cluster, scenario, id, parameters);

    /// <inheritdoc cref="AssertAsync(BifroCluster, string, string, ValueTuple{string, object}[])"/>
    /// <param name="output">Gets the script's output when it passes too, to show what happened (retries, duplicates).</param>
    public static async Task AssertAsync(ITestOutputHelper? output, BifroCluster cluster, string scenario, string id, params (string Name, object Value)[] parameters)
    {
        var result = await Paho.RunAsync(cluster[0].Broker, Script, Arguments(cluster, scenario, id, parameters));
        output?.WriteLine($"--- {Script} {scenario}\n{result.StandardOutput}{result.StandardError}");
        Assert.True(result.ExitCode == 0, $"{Script} {scenario} failed:\n{result}\n{cluster.Describe()}");
    }

    /// <summary>Starts a scenario in the background, for one during which the test kills a node.</summary>
    public static RunningProcess Start(BifroCluster cluster, string scenario, string id, params (string Name, object Value)[] parameters) =>
        Paho.Start(cluster[0].Broker, Script, Arguments(cluster, scenario, id, parameters));

    /// <summary>Waits for a background scenario to end with exit code 0.</summary>
    public static async Task AssertExitsAsync(RunningProcess scenario, BifroCluster cluster, ITestOutputHelper? output = null)
    {
        int exitCode;
        try
        {
            exitCode = await scenario.WaitForExitAsync(Paho.ScenarioTimeout);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"{Script} did not finish in time.\n{scenario.Output}\n{cluster.Describe()}");
        }

        output?.WriteLine($"--- {Script}\n{scenario.Output}");
        Assert.True(exitCode == 0, $"{Script} failed (exit {exitCode}):\n{scenario.Output}\n{cluster.Describe()}");
    }

    private static string[] Arguments(BifroCluster cluster, string scenario, string id, (string Name, object Value)[] parameters)
    {
        var ports = string.Join(",", cluster.Nodes.Select(n => n.Port.ToString(CultureInfo.InvariantCulture)));
        return ["--id", id, scenario, .. Paho.Parameters([("ports", ports), .. parameters])];
    }
}
