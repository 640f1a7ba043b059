using System.Numerics;

namespace Bifro.Bench.Load;

/// <summary>
/// Log-linear histogram of nanosecond values, like HdrHistogram with 7 significant bits: exact below 256 ns,
/// then 128 buckets per power of two (under 0.8 % error). Recording is a shift and an array increment, so a
/// subscriber can record every message without allocating or locking; each subscriber owns one per phase
/// and the runner merges them after the phase.
/// </summary>
internal sealed class LatencyHistogram
{
    private const int SubBucketBits = 7;
    private const int SubBucketCount = 1 << SubBucketBits; // 128
    private const int LinearLimit = SubBucketCount * 2; // values below this are exact
    private const int MaxMagnitude = 42; // 2^42 ns is over an hour; larger values are clamped

    private readonly long[] _counts = new long[LinearLimit + ((MaxMagnitude - SubBucketBits) * SubBucketCount)];

    public long Count { get; private set; }

    public long Max { get; private set; }

    public void Record(long nanoseconds)
    {
        if (nanoseconds < 0)
        {
            nanoseconds = 0; // clocks are monotonic, but a value from a corrupt payload must not index below 0
        }

        _counts[IndexOf(nanoseconds)]++;
        Count++;
        if (nanoseconds > Max)
        {
            Max = nanoseconds;
        }
    }

    public void Add(LatencyHistogram other)
    {
        for (var i = 0; i < _counts.Length; i++)
        {
            _counts[i] += other._counts[i];
        }

        Count += other.Count;
        Max = Math.Max(Max, other.Max);
    }

    /// <summary>The value at <paramref name="percentile"/> (0–100) in nanoseconds, or 0 when empty.</summary>
    public long ValueAtPercentile(double percentile)
    {
        if (Count == 0)
        {
            return 0;
        }

        var rank = (long)Math.Ceiling(percentile / 100.0 * Count);
        rank = Math.Clamp(rank, 1, Count);
        long seen = 0;
        for (var i = 0; i < _counts.Length; i++)
        {
            seen += _counts[i];
            if (seen >= rank)
            {
                return Math.Min(MidpointOf(i), Max);
            }
        }

        return Max;
    }

    private static int IndexOf(long value)
    {
        if (value < LinearLimit)
        {
            return (int)value;
        }

        var magnitude = 63 - BitOperations.LeadingZeroCount((ulong)value); // >= 8 here
        if (magnitude >= MaxMagnitude)
        {
            return LinearLimit + ((MaxMagnitude - SubBucketBits - 1) * SubBucketCount) + SubBucketCount - 1;
        }

        var shift = magnitude - SubBucketBits; // >= 1
        var top = (int)(value >> shift); // in [128, 256)
        return LinearLimit + ((shift - 1) * SubBucketCount) + (top - SubBucketCount);
    }

    private static long MidpointOf(int index)
    {
        if (index < LinearLimit)
        {
            return index;
        }

        var shift = ((index - LinearLimit) / SubBucketCount) + 1;
        var top = ((index - LinearLimit) % SubBucketCount) + SubBucketCount;
        return ((long)top << shift) + ((1L << shift) / 2);
    }
}
