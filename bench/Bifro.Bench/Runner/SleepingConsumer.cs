using System.Globalization;
using System.Text.RegularExpressions;

namespace Bifro.Bench.Runner;

/// <summary>
/// <c>compare --sleeping-consumer MS</c>: Bifro runs with one event collector, the test plugin
/// SleepingEventCollector (test/TestPlugins), which sleeps MS per batch, and with every PUBLISH an event
/// (Bifro:Events:PublishSampling=1), so that the consumer falls behind at once. Issue 5 says producing events
/// never waits for a consumer; the throughput with and without it shows whether that holds, and the node's
/// log says how many events the consumer missed.
/// </summary>
internal static partial class SleepingConsumer
{
    public const string CollectorName = "sleepy";

    /// <summary>Appended to the Bifro command. The plugin is the build output of test/TestPlugins (bench/run builds it).</summary>
    public static string Arguments(string repoRoot, int milliseconds)
    {
        var plugins = Path.Combine(repoRoot, "test", "TestPlugins", "bin", "Release", "net10.0");
        return string.Create(
            CultureInfo.InvariantCulture,
            $"--Bifro:Events:PublishSampling=1 --Bifro:Events:Collectors:0={CollectorName} " +
            $"--Bifro:Events:Plugins:{CollectorName}:Path={BrokerProcess.ShellQuote(plugins)} " +
            $"--Bifro:Events:Plugins:{CollectorName}:TypeName=Bifro.TestPlugins.SleepingEventCollector " +
            $"--TestPlugins:SleepingCollector:Milliseconds={milliseconds}");
    }

    /// <summary>Whether the plugin is built.</summary>
    public static bool IsBuilt(string repoRoot) =>
        File.Exists(Path.Combine(repoRoot, "test", "TestPlugins", "bin", "Release", "net10.0", "Bifro.TestPlugins.dll"));

    /// <summary>
    /// What the collector got, missed, and still had queued when its node stopped, in the last run of each log (the lines after its last "=== bifro-bench:"
    /// header), summed over the logs; null when no node logged its collector stopping.
    /// </summary>
    public static (long Delivered, long Dropped, long Queued)? ReadCounts(IEnumerable<string> logPaths)
    {
        (long Delivered, long Dropped, long Queued)? total = null;
        foreach (var path in logPaths)
        {
            string text;
            try
            {
                text = File.ReadAllText(path);
            }
            catch (IOException)
            {
                continue;
            }

            var lastRun = text.LastIndexOf("=== bifro-bench:", StringComparison.Ordinal);
            foreach (Match match in Stopped().Matches(lastRun < 0 ? text : text[lastRun..]))
            {
                var delivered = long.Parse(match.Groups["delivered"].Value, CultureInfo.InvariantCulture);
                var dropped = long.Parse(match.Groups["dropped"].Value, CultureInfo.InvariantCulture);
                var queued = long.Parse(match.Groups["queued"].Value, CultureInfo.InvariantCulture);
                total = (delivered + (total?.Delivered ?? 0), dropped + (total?.Dropped ?? 0), queued + (total?.Queued ?? 0));
            }
        }

        return total;
    }

    // CollectorRunner's "stopped" line (src/Grains/Events/CollectorRunner.cs).
    [GeneratedRegex(@"Event collector sleepy stopped: (?<delivered>\d+) events delivered, (?<dropped>\d+) dropped while it was behind, (?<queued>\d+) left in its queue")]
    private static partial Regex Stopped();
}
