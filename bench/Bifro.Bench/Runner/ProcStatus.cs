namespace Bifro.Bench.Runner;

/// <summary>Reads a process's resident memory from /proc (Linux only).</summary>
internal static class ProcStatus
{
    /// <summary>VmRSS in KiB, or null when the process is gone.</summary>
    public static long? ReadVmRssKiB(int pid)
    {
        string[] lines;
        try
        {
            lines = File.ReadAllLines($"/proc/{pid}/status");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }

        foreach (var line in lines)
        {
            // "VmRSS:     12345 kB"
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                var digits = line.AsSpan(6).Trim().TrimEnd("kB").Trim();
                return long.Parse(digits, System.Globalization.CultureInfo.InvariantCulture);
            }
        }

        return null;
    }
}
