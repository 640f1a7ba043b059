using BenchmarkDotNet.Attributes;
using Bifro.MqttEdge.Codec;
using Bifro.MqttEdge.Delivery.Matching;

namespace Bifro.Benchmarks.Matching;

/// <summary>10,000 exact filters, one subscriber each ("one topic per device"): a hit and a miss.</summary>
[MemoryDiagnoser]
public class ExactFilterMatchBenchmarks
{
    private const int Filters = 10_000;
    private static readonly byte[] HitTopic = "tenant/devices/4711/telemetry"u8.ToArray();
    private static readonly byte[] MissTopic = "tenant/devices/unknown/telemetry"u8.ToArray();

    private readonly TopicTree<BenchmarkSubscriber> _tree = new();
    private readonly MatchCollector<BenchmarkSubscriber> _collector = new();

    [GlobalSetup]
    public void Setup()
    {
        for (int i = 0; i < Filters; i++)
        {
            _tree.Add(new BenchmarkSubscriber(i), $"tenant/devices/{i}/telemetry", new RouteOptions(QualityOfService.AtLeastOnce));
        }
    }

    [GlobalCleanup]
    public void Cleanup() => _collector.Dispose();

    [Benchmark(Baseline = true)]
    public int Hit()
    {
        _tree.Match(HitTopic, _collector);
        return _collector.Count;
    }

    [Benchmark]
    public int Miss()
    {
        _tree.Match(MissTopic, _collector);
        return _collector.Count;
    }
}
