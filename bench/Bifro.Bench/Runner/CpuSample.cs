using System.Diagnostics;
using System.Globalization;
using Bifro.Bench.Scenarios;

namespace Bifro.Bench.Runner;

/// <summary>
/// CPU time so far of the whole machine, this process and the broker, from /proc (in USER_HZ ticks, which
/// Linux fixes at 100 per second). Two samples give <see cref="CpuUsage"/>: what the broker cost, and how
/// much else ran at the same time, which tells a clean run from one disturbed by other work on the machine.
/// A broker of several processes (a cluster's nodes) counts as their sum.
/// </summary>
internal readonly record struct CpuSample(long MachineBusy, long LoadGen, long Broker, long Timestamp)
{
    private const double TicksPerSecond = 100;

    public static CpuSample Take(int? brokerPid) => Take(brokerPid is { } pid ? [pid] : []);

    public static CpuSample Take(IReadOnlyList<int> brokerPids)
    {
        long broker = 0;
        foreach (var pid in brokerPids)
        {
            broker += ProcessTicks(pid) ?? 0;
        }

        return new(MachineBusyTicks(), ProcessTicks(Environment.ProcessId) ?? 0, broker, Stopwatch.GetTimestamp());
    }

    public CpuUsage Since(CpuSample start)
    {
        var wall = Stopwatch.GetElapsedTime(start.Timestamp, Timestamp).TotalSeconds;
        var busy = (MachineBusy - start.MachineBusy) / TicksPerSecond;
        var loadGen = (LoadGen - start.LoadGen) / TicksPerSecond;
        var broker = (Broker - start.Broker) / TicksPerSecond;
        var other = Math.Max(0, busy - loadGen - broker);
        return new CpuUsage
        {
            WallSeconds = wall,
            BrokerSeconds = broker,
            LoadGenSeconds = loadGen,
            OtherSeconds = other,
            OtherPercentOfMachine = wall > 0 ? 100 * other / (wall * Environment.ProcessorCount) : 0,
        };
    }

    /// <summary>First line of /proc/stat: user nice system idle iowait irq softirq steal ...</summary>
    private static long MachineBusyTicks()
    {
        try
        {
            var fields = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries);
            long busy = 0;
            foreach (var i in new[] { 1, 2, 3, 6, 7, 8 })
            {
                busy += long.Parse(fields[i], CultureInfo.InvariantCulture);
            }

            return busy;
        }
        catch (IOException)
        {
            return 0;
        }
    }

    /// <summary>utime + stime from /proc/&lt;pid&gt;/stat (fields 14 and 15, counted after the ")" of the name).</summary>
    private static long? ProcessTicks(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
        }
        catch (IOException)
        {
            return null;
        }
    }
}
