using BenchmarkDotNet.Attributes;
using Bifro.MqttEdge.Codec;
using Bifro.MqttEdge.Delivery.Matching;

namespace Bifro.Benchmarks.Matching;

/// <summary>
/// 1,000 subscribers on one filter. Distinct: each has only that subscription, so the collector copies entries
/// without its dedup table. Overlapping: each also matches through "news/#", so every entry is merged.
/// </summary>
[MemoryDiagnoser]
public class FanOutMatchBenchmarks
{
    private const int Subscribers = 1_000;
    private static readonly byte[] DistinctTopic = "news/sport"u8.ToArray();
    private static readonly byte[] OverlappingTopic = "feed/sport"u8.ToArray();

    private readonly TopicTree<BenchmarkSubscriber> _tree = new();
    private readonly MatchCollector<BenchmarkSubscriber> _collector = new();

    [GlobalSetup]
    public void Setup()
    {
        for (int i = 0; i < Subscribers; i++)
        {
            _tree.Add(new BenchmarkSubscriber(i), "news/sport", new RouteOptions(QualityOfService.AtLeastOnce));
        }

        for (int i = 0; i < Subscribers; i++)
        {
            var subscriber = new BenchmarkSubscriber(Subscribers + i);
            _tree.Add(subscriber, "feed/sport", new RouteOptions(QualityOfService.AtMostOnce, subscriptionIdentifier: 1));
            _tree.Add(subscriber, "feed/#", new RouteOptions(QualityOfService.AtLeastOnce, subscriptionIdentifier: 2));
        }
    }

    [GlobalCleanup]
    public void Cleanup() => _collector.Dispose();

    [Benchmark(Baseline = true)]
    public int Distinct()
    {
        _tree.Match(DistinctTopic, _collector);
        return _collector.Count;
    }

    [Benchmark]
    public int Overlapping()
    {
        _tree.Match(OverlappingTopic, _collector);
        return _collector.Count;
    }
}
