using System.Diagnostics.Metrics;

namespace Bifro.Silo.Telemetry;

/// <summary>
/// One time series of an instrument: its tags and its value, or its histogram buckets. Recorded from any
/// thread with interlocked operations; read at scrape time.
/// </summary>
internal sealed class MetricSeries
{
    private readonly long[]? _buckets;
    private long _count;
    private long _sumBits;
    private long _valueBits;

    public MetricSeries(KeyValuePair<string, object?>[] tags, int bucketCount)
    {
        Tags = tags;
        _buckets = bucketCount > 0 ? new long[bucketCount + 1] : null;
    }

    public KeyValuePair<string, object?>[] Tags { get; }

    /// <summary>A counter's sum or a gauge's last value.</summary>
    public double Value => BitConverter.Int64BitsToDouble(Volatile.Read(ref _valueBits));

    public long Count => Volatile.Read(ref _count);

    public double Sum => BitConverter.Int64BitsToDouble(Volatile.Read(ref _sumBits));

    /// <summary>Per-bucket counts (not cumulative); the last is +Inf.</summary>
    public long[]? Buckets => _buckets;

    public void Add(double value) => AddBits(ref _valueBits, value);

    public void Set(double value) => Volatile.Write(ref _valueBits, BitConverter.DoubleToInt64Bits(value));

    public void Record(double value, double[] bounds)
    {
        // Bounds are few (about a dozen): a linear scan beats a binary search at this size.
        var index = 0;
        while (index < bounds.Length && value > bounds[index])
        {
            index++;
        }

        Interlocked.Increment(ref _buckets![index]);
        Interlocked.Increment(ref _count);
        AddBits(ref _sumBits, value);
    }

    /// <summary>Whether these are the tags of <paramref name="tags"/> (same keys and values, same order).</summary>
    public bool Matches(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        if (tags.Length != Tags.Length)
        {
            return false;
        }

        for (var i = 0; i < tags.Length; i++)
        {
            if (!string.Equals(tags[i].Key, Tags[i].Key, StringComparison.Ordinal) || !Equals(tags[i].Value, Tags[i].Value))
            {
                return false;
            }
        }

        return true;
    }

    private static void AddBits(ref long location, double value)
    {
        var current = Volatile.Read(ref location);
        while (true)
        {
            var next = BitConverter.DoubleToInt64Bits(BitConverter.Int64BitsToDouble(current) + value);
            var seen = Interlocked.CompareExchange(ref location, next, current);
            if (seen == current)
            {
                return;
            }

            current = seen;
        }
    }
}
