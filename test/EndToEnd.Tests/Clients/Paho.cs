using Bifro.TestKit;

namespace Bifro.EndToEnd.Tests.Clients;

/// <summary>
/// Python scripts using paho-mqtt (Debian's python3-paho-mqtt), from the python/ folder beside the tests.
/// Each script exits 0 when its scenario holds and prints what it saw; every script bounds its own waits.
/// </summary>
internal static class Paho
{
    // Debian's interpreter, which has python3-paho-mqtt; a python3 earlier on PATH may not.
    private const string Python = "/usr/bin/python3";

    public static async Task<ProcessResult> RunAsync(BrokerProcess broker, string script, params string[] arguments)
    {
        var path = Path.Combine(AppContext.BaseDirectory, "python", script);
        var result = await ExternalProcess.RunAsync(
            Python, [path, "--host", broker.Host, "--port", broker.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), .. arguments],
            TimeSpan.FromSeconds(60)).ConfigureAwait(false);
        return result;
    }
}
