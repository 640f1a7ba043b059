using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Bifro.Bench.Runner;

/// <summary>What the numbers were measured on; printed above the table and saved in the JSON.</summary>
internal sealed record MachineInfo
{
    public required string DateUtc { get; init; }

    public int Cores { get; init; }

    public string Cpu { get; init; } = "";

    public string Memory { get; init; } = "";

    public string Os { get; init; } = "";

    public string Kernel { get; init; } = "";

    public string Runtime { get; init; } = "";

    public string Mosquitto { get; init; } = "";

    /// <summary>Commit of the checkout the runner was started from (Bifro's sources, if built from it).</summary>
    public string Commit { get; init; } = "";

    public static MachineInfo Collect(string repoRoot, string mosquittoPath) => new()
    {
        DateUtc = DateTime.UtcNow.ToString("yyyy-MM-dd HH:mm 'UTC'", System.Globalization.CultureInfo.InvariantCulture),
        Cores = Environment.ProcessorCount,
        Cpu = FirstValue("/proc/cpuinfo", "model name") ?? RuntimeInformation.ProcessArchitecture.ToString(),
        Memory = MemTotal(),
        Os = (FirstValue("/etc/os-release", "PRETTY_NAME", '=') ?? RuntimeInformation.OSDescription).Trim('"'),
        Kernel = ReadTrimmed("/proc/sys/kernel/osrelease"),
        Runtime = RuntimeInformation.FrameworkDescription,
        Mosquitto = MosquittoConfig.Version(mosquittoPath),
        Commit = GitCommit(repoRoot),
    };

    private static string? FirstValue(string path, string key, char separator = ':')
    {
        try
        {
            foreach (var line in File.ReadLines(path))
            {
                var at = line.IndexOf(separator);
                if (at > 0 && line[..at].Trim() == key)
                {
                    return line[(at + 1)..].Trim();
                }
            }
        }
        catch (IOException)
        {
        }

        return null;
    }

    private static string MemTotal()
    {
        var value = FirstValue("/proc/meminfo", "MemTotal");
        return value is not null && long.TryParse(value.Replace("kB", "").Trim(), out var kib) ? $"{kib / 1024.0 / 1024.0:0.0} GiB" : "";
    }

    private static string ReadTrimmed(string path)
    {
        try
        {
            return File.ReadAllText(path).Trim();
        }
        catch (IOException)
        {
            return "";
        }
    }

    private static string GitCommit(string repoRoot)
    {
        try
        {
            var start = new ProcessStartInfo("git") { RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var arg in new[] { "-C", repoRoot, "describe", "--always", "--dirty" })
            {
                start.ArgumentList.Add(arg);
            }

            using var git = Process.Start(start)!;
            var output = git.StandardOutput.ReadToEnd().Trim();
            git.WaitForExit(5000);
            return output;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return "";
        }
    }
}
