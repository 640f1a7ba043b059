namespace Bifro.Bench.Scenarios;

/// <summary>How publishers and subscribers of a throughput scenario share topics.</summary>
internal enum Topology
{
    /// <summary>Every publisher and every subscriber on one topic (with one subscriber: fan-in).</summary>
    SharedTopic,

    /// <summary>Publisher i and subscriber i alone on topic i.</summary>
    Pairs,
}
