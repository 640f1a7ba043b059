using Bifro.MqttEdge.Codec;
using Bifro.MqttEdge.Delivery.Matching;
using Xunit;

namespace Bifro.MqttEdge.Tests.Delivery.Matching;

public sealed class TopicTreeAllocationTests
{
    [Fact]
    public void Match_TreeWithHundredsOfSubscriptionsAfterWarmUp_AllocatesNothing()
    {
        (TopicTree<TestSubscriber> tree, TestSubscriber publisher) = BuildTree();
        using var collector = new MatchCollector<TestSubscriber>();
        ReadOnlySpan<byte> fanOut = "devices/7/cmd"u8;
        ReadOnlySpan<byte> exact = "other/42"u8;
        ReadOnlySpan<byte> system = "$SYS/broker/load"u8;
        for (int i = 0; i < 100; i++)
        {
            tree.Match(fanOut, collector, publisher);
            tree.Match(exact, collector);
            tree.Match(system, collector);
            collector.Clear();
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        int delivered = 0;
        for (int i = 0; i < 1_000; i++)
        {
            tree.Match(fanOut, collector, publisher);
            delivered += collector.Count + collector.SharedMatches.Length;
            tree.Match(exact, collector);
            delivered += collector.Count;
            tree.Match(system, collector);
            delivered += collector.Count;
            collector.Clear();
        }

        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, allocated);
        Assert.True(delivered > 1_000 * 200, $"only {delivered} deliveries");
    }

    [Fact]
    public void Match_CharTopicAfterWarmUp_AllocatesNothing()
    {
        (TopicTree<TestSubscriber> tree, _) = BuildTree();
        using var collector = new MatchCollector<TestSubscriber>();
        string topic = "devices/3/cmd";
        for (int i = 0; i < 100; i++)
        {
            tree.Match(topic, collector);
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 1_000; i++)
        {
            tree.Match(topic, collector);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    /// <summary>
    /// About 350 subscriptions: exact filters under a level with many children, a fan-out on a wildcard filter,
    /// subscribers that overlap with identifiers and No Local, and a share group.
    /// </summary>
    private static (TopicTree<TestSubscriber> Tree, TestSubscriber Publisher) BuildTree()
    {
        var tree = new TopicTree<TestSubscriber>();
        var subscribers = new TestSubscriber[200];
        for (int i = 0; i < subscribers.Length; i++)
        {
            subscribers[i] = new TestSubscriber($"s{i}");
            tree.Add(subscribers[i], $"devices/{i}/cmd", new RouteOptions(QualityOfService.AtLeastOnce, subscriptionIdentifier: (uint)i + 1));
            tree.Add(subscribers[i], "devices/+/cmd", new RouteOptions(QualityOfService.AtMostOnce, noLocal: i % 7 == 0));
        }

        for (int i = 0; i < 20; i++)
        {
            tree.Add(subscribers[i], "devices/#", new RouteOptions(QualityOfService.ExactlyOnce, retainAsPublished: true, subscriptionIdentifier: 900));
            tree.Add(subscribers[i + 100], "devices/+/cmd", new RouteOptions(QualityOfService.AtLeastOnce), "workers");
            tree.Add(new TestSubscriber($"other{i}"), $"other/{i * 3}", new RouteOptions(QualityOfService.AtMostOnce));
            tree.Add(new TestSubscriber($"sys{i}"), "$SYS/#", new RouteOptions(QualityOfService.AtMostOnce));
        }

        return (tree, subscribers[0]);
    }
}
