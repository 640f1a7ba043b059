using System.Globalization;
using Bifro.TestKit;
using Xunit;

namespace Bifro.EndToEnd.Tests.Clients;

/// <summary>
/// Python scripts using paho-mqtt (Debian's python3-paho-mqtt), from the python/ folder beside the tests.
/// Each script exits 0 when its scenario holds and prints what it saw; every script bounds its own waits.
/// </summary>
internal static class Paho
{
    // Debian's interpreter, which has python3-paho-mqtt; a python3 earlier on PATH may not.
    private const string Python = "/usr/bin/python3";

    /// <summary>How long a scenario may run; the scripts' own watchdog stops them a few seconds earlier.</summary>
    public static readonly TimeSpan ScenarioTimeout = TimeSpan.FromSeconds(60);

    public static async Task<ProcessResult> RunAsync(BrokerProcess broker, string script, params string[] arguments)
    {
        var result = await ExternalProcess.RunAsync(Python, Arguments(broker, script, arguments), ScenarioTimeout).ConfigureAwait(false);
        return result;
    }

    /// <summary>Starts a script in the background, for scenarios in which the test acts on the broker meanwhile.</summary>
    public static RunningProcess Start(BrokerProcess broker, string script, params string[] arguments) =>
        ExternalProcess.StartBackground(Python, Arguments(broker, script, arguments));

    /// <summary>
    /// Runs "<paramref name="script"/> <paramref name="scenario"/>" and fails the test unless it exits 0, with the
    /// script's output and the end of the broker's log in the message.
    /// </summary>
    public static async Task AssertScenarioAsync(BrokerProcess broker, string script, string scenario, params string[] arguments)
    {
        var result = await RunAsync(broker, script, [scenario, .. arguments]).ConfigureAwait(false);
        Assert.True(result.ExitCode == 0, Describe(script, scenario, result.ToString(), broker));
    }

    /// <summary>"--param name=value" pairs for a scenario.</summary>
    public static string[] Parameters(params (string Name, object Value)[] parameters) =>
        parameters.SelectMany(p => new[] { "--param", string.Create(CultureInfo.InvariantCulture, $"{p.Name}={p.Value}") }).ToArray();

    public static string Describe(string script, string scenario, string output, BrokerProcess broker)
    {
        var log = broker.Output;
        const int tail = 6000;
        if (log.Length > tail)
        {
            log = "...\n" + log[^tail..];
        }

        return $"{script} {scenario} failed:\n{output}\n--- broker log (end)\n{log}";
    }

    private static string[] Arguments(BrokerProcess broker, string script, string[] arguments) =>
    [
        // -B: no __pycache__ beside the scripts in the test output.
        "-B",
        Path.Combine(AppContext.BaseDirectory, "python", script),
        "--host", broker.Host,
        "--port", broker.Port.ToString(CultureInfo.InvariantCulture),
        .. arguments,
    ];
}
