using Bifro.TestKit;
using Xunit;

namespace Bifro.EndToEnd.Tests;

/// <summary>Assertions on client runs that show the client's output and the broker's when they fail.</summary>
internal static class ProcessAssert
{
    /// <summary>Awaits <paramref name="run"/> and asserts exit code 0.</summary>
    public static async Task<ProcessResult> SucceedsAsync(Task<ProcessResult> run, BrokerProcess broker)
    {
        var result = await run;
        Assert.True(result.ExitCode == 0, result + "\n--- broker\n" + broker.Output);
        return result;
    }

    /// <summary>Waits for a background client to exit with code 0.</summary>
    public static async Task ExitsAsync(RunningProcess process, BrokerProcess broker, TimeSpan? timeout = null)
    {
        int exitCode;
        try
        {
            exitCode = await process.WaitForExitAsync(timeout ?? Clients.Mosquitto.DefaultTimeout);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException("The client did not exit in time.\n" + process.Output + "\n--- broker\n" + broker.Output);
        }

        Assert.True(exitCode == 0, $"exit {exitCode}\n{process.Output}\n--- broker\n{broker.Output}");
    }
}
