namespace Bifro.Bench.Scenarios;

/// <summary>
/// The scenarios and their phase A sizes. The counts are chosen so that phase A takes roughly 5–10 s against
/// Mosquitto 2.0 on the 2-core benchmark machine (see bench/README.md); <c>--scale</c> multiplies them.
/// </summary>
internal static class ScenarioCatalog
{
    public const string IdleMemory = "idle-memory";

    private static readonly ThroughputSpec[] s_throughput =
    [
        new("qos0-fanin", "10 publishers -> 1 subscriber, one topic, QoS 0", 10, 1, 0, Topology.SharedTopic, 200_000),
        new("qos1-fanin", "10 publishers -> 1 subscriber, one topic, QoS 1", 10, 1, 1, Topology.SharedTopic, 90_000),
        new("qos0-one-to-one", "10 publisher/subscriber pairs, a topic each, QoS 0", 10, 10, 0, Topology.Pairs, 150_000),
        new("qos1-one-to-one", "10 publisher/subscriber pairs, a topic each, QoS 1", 10, 10, 1, Topology.Pairs, 75_000),
        new("fanout", "1 publisher -> 100 subscribers, one topic, QoS 0", 1, 100, 0, Topology.SharedTopic, 20_000),
    ];

    /// <summary>All scenario names in run order. Idle memory goes first, on a broker no load has grown yet.</summary>
    public static IReadOnlyList<string> Names { get; } = [IdleMemory, .. Array.ConvertAll(s_throughput, s => s.Name)];

    public static ThroughputSpec? FindThroughput(string name) => Array.Find(s_throughput, s => s.Name == name);

    /// <summary>Parses a comma-separated list, keeping the catalog order; throws on an unknown name.</summary>
    public static IReadOnlyList<string> Parse(string? list)
    {
        if (string.IsNullOrWhiteSpace(list) || list == "all")
        {
            return Names;
        }

        var wanted = list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        foreach (var name in wanted)
        {
            if (!Names.Contains(name))
            {
                throw new ArgumentException($"Unknown scenario '{name}'. Known: {string.Join(", ", Names)}.");
            }
        }

        return [.. Names.Where(wanted.Contains)];
    }
}
