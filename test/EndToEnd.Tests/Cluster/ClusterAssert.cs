using Bifro.EndToEnd.Tests.Clients;
using Bifro.TestKit;
using Xunit;

namespace Bifro.EndToEnd.Tests.Cluster;

/// <summary>Assertions on client runs against a cluster that show, when they fail, the client's output and every node's log.</summary>
internal static class ClusterAssert
{
    /// <summary>Awaits <paramref name="run"/> and asserts exit code 0.</summary>
    public static async Task<ProcessResult> SucceedsAsync(Task<ProcessResult> run, BifroCluster cluster)
    {
        var result = await run;
        Assert.True(result.ExitCode == 0, result + "\n" + cluster.Describe());
        return result;
    }

    /// <summary>Waits for a background client to exit with code 0.</summary>
    public static async Task ExitsAsync(RunningProcess process, BifroCluster cluster, TimeSpan? timeout = null)
    {
        int exitCode;
        try
        {
            exitCode = await process.WaitForExitAsync(timeout ?? Mosquitto.DefaultTimeout);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException("The client did not exit in time.\n" + process.Output + "\n" + cluster.Describe());
        }

        Assert.True(exitCode == 0, $"exit {exitCode}\n{process.Output}\n{cluster.Describe()}");
    }

    /// <summary>Waits for a line of a background client's output.</summary>
    public static async Task<string> LineAsync(RunningProcess process, string contains, BifroCluster cluster, TimeSpan? timeout = null)
    {
        try
        {
            return await process.WaitForLineAsync(contains, timeout ?? Mosquitto.DefaultTimeout);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"No line with '{contains}' in time.\n{process.Output}\n{cluster.Describe()}");
        }
    }
}
