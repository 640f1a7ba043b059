using System.ComponentModel;
using System.Globalization;
using Bifro.TestKit;
using Xunit;

namespace Bifro.EndToEnd.Tests.Clients;

/// <summary>
/// MQTT.js under Node, with scripts from the node/ folder beside the tests. The mqtt package is installed
/// there with npm the first time a test needs it (node and npm must be on the machine: apt-get install nodejs npm).
/// </summary>
internal static class MqttJs
{
    private static readonly TimeSpan InstallTimeout = TimeSpan.FromMinutes(3);
    private static readonly Lazy<Task> s_installed = new(InstallAsync);

    public static string Folder => Path.Combine(AppContext.BaseDirectory, "node");

    /// <summary>Runs <c>node script arguments</c> from <see cref="Folder"/>, once MQTT.js is installed.</summary>
    public static async Task<ProcessResult> RunAsync(string script, params string[] arguments)
    {
        await s_installed.Value;
        return await ExternalProcess.RunAsync("node", [Path.Combine(Folder, script), .. arguments], TimeSpan.FromSeconds(30));
    }

    private static async Task InstallAsync()
    {
        if (Directory.Exists(Path.Combine(Folder, "node_modules", "mqtt")))
        {
            return;
        }

        ProcessResult result;
        try
        {
            result = await ExternalProcess.RunAsync(
                "npm",
                ["install", "--prefix", Folder, "--no-save", "--no-audit", "--no-fund", "--loglevel=error", "mqtt@5"],
                InstallTimeout);
        }
        catch (Win32Exception exception)
        {
            Assert.Fail($"MQTT.js tests need node and npm on the PATH (apt-get install nodejs npm): {exception.Message}");
            return;
        }

        Assert.True(result.ExitCode == 0, "npm install mqtt failed:\n" + result);
        Assert.True(Directory.Exists(Path.Combine(Folder, "node_modules", "mqtt")), string.Create(CultureInfo.InvariantCulture, $"npm install left no node_modules/mqtt in {Folder}:\n{result}"));
    }
}
