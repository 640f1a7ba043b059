namespace Bifro.Bench.Runner;

/// <summary>
/// One metric of one scenario on one broker over the rounds of a <c>compare --repeat</c> run: the median, which
/// the table and the ratio use, the range, and every round's value.
/// </summary>
internal sealed record Spread
{
    /// <summary>The middle value; with an even count, the mean of the two middle values.</summary>
    public required double Median { get; init; }

    public required double Min { get; init; }

    public required double Max { get; init; }

    /// <summary>Rounds that produced a value (a round that failed before measuring it does not).</summary>
    public required int Count { get; init; }

    /// <summary>Every round's value in round order; null where the round produced none.</summary>
    public required IReadOnlyList<double?> Values { get; init; }

    /// <summary>The spread of the values that are present, or null when no round produced one.</summary>
    public static Spread? Of(IReadOnlyList<double?> values)
    {
        var present = values.Where(v => v is not null).Select(v => v!.Value).Order().ToArray();
        if (present.Length == 0)
        {
            return null;
        }

        var middle = present.Length / 2;
        return new Spread
        {
            Median = present.Length % 2 == 1 ? present[middle] : (present[middle - 1] + present[middle]) / 2,
            Min = present[0],
            Max = present[^1],
            Count = present.Length,
            Values = values,
        };
    }

    /// <summary>
    /// True when both have at least two values and their ranges overlap: the difference between the medians is
    /// then within the run-to-run variation this run measured.
    /// </summary>
    public bool Overlaps(Spread other) => Count > 1 && other.Count > 1 && Min <= other.Max && other.Min <= Max;
}
