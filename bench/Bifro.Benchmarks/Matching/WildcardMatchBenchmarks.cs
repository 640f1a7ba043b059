using BenchmarkDotNet.Attributes;
using Bifro.MqttEdge.Codec;
using Bifro.MqttEdge.Delivery.Matching;

namespace Bifro.Benchmarks.Matching;

/// <summary>
/// A wildcard-heavy tree: 5,000 subscribers with '+' and '#' filters at several levels, some overlapping
/// (merged, with subscription identifiers), share groups, and '$SYS' filters.
/// </summary>
[MemoryDiagnoser]
public class WildcardMatchBenchmarks
{
    private const int Subscribers = 5_000;
    private static readonly byte[] Topic = "site/7/42/temp"u8.ToArray();
    private static readonly byte[] DeepTopic = "site/7/42/temp/a/b/c/d"u8.ToArray();
    private static readonly byte[] SystemTopic = "$SYS/broker/clients"u8.ToArray();

    private readonly TopicTree<BenchmarkSubscriber> _tree = new();
    private readonly MatchCollector<BenchmarkSubscriber> _collector = new();

    [GlobalSetup]
    public void Setup()
    {
        for (int i = 0; i < Subscribers; i++)
        {
            var subscriber = new BenchmarkSubscriber(i);
            var options = new RouteOptions(QualityOfService.AtLeastOnce, subscriptionIdentifier: (uint)i + 1);
            _tree.Add(subscriber, $"site/{i % 50}/+/temp", options);
            _tree.Add(subscriber, $"site/+/{i % 100}/#", options);
            _tree.Add(subscriber, $"+/+/{i}/temp", options);
            if (i % 10 == 0)
            {
                _tree.Add(subscriber, "site/#", new RouteOptions(QualityOfService.AtMostOnce, retainAsPublished: true));
                _tree.Add(subscriber, "$SYS/#", new RouteOptions(QualityOfService.AtMostOnce));
            }

            if (i % 100 == 0)
            {
                _tree.Add(subscriber, "site/+/+/temp", options, $"group{i % 3}");
            }
        }
    }

    [GlobalCleanup]
    public void Cleanup() => _collector.Dispose();

    [Benchmark(Baseline = true)]
    public int Match()
    {
        _tree.Match(Topic, _collector);
        return _collector.Count + _collector.SharedMatches.Length;
    }

    [Benchmark]
    public int MatchDeep()
    {
        _tree.Match(DeepTopic, _collector);
        return _collector.Count;
    }

    [Benchmark]
    public int MatchSystemTopic()
    {
        _tree.Match(SystemTopic, _collector);
        return _collector.Count;
    }
}
