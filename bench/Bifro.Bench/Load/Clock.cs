using System.Diagnostics;

namespace Bifro.Bench.Load;

/// <summary>Converts Stopwatch ticks, the unit every timestamp in the load generator uses.</summary>
internal static class Clock
{
    private static readonly double s_nanosecondsPerTick = 1e9 / Stopwatch.Frequency;

    public static long Now => Stopwatch.GetTimestamp();

    public static long ToNanoseconds(long ticks) => Stopwatch.Frequency == 1_000_000_000 ? ticks : (long)(ticks * s_nanosecondsPerTick);

    public static double ToSeconds(long ticks) => (double)ticks / Stopwatch.Frequency;

    public static long FromSeconds(double seconds) => (long)(seconds * Stopwatch.Frequency);
}
