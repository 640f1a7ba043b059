using Bifro.MqttEdge.Codec;
using Bifro.MqttEdge.Delivery.Matching;
using Xunit;

namespace Bifro.MqttEdge.Tests.Delivery.Matching;

public sealed class MatchCollectorTests
{
    [Fact]
    public void Complete_TreeChangedWithDuplicates_MergesIntoOneEntryPerSubscriber()
    {
        // The path a match takes when a writer changed the tree during its walk: entries added without the
        // overlap flag may repeat a subscriber, and Complete(true) must merge them.
        var first = new TestSubscriber("first");
        var second = new TestSubscriber("second");
        using var collector = new MatchCollector<TestSubscriber>();
        collector.Reset();
        collector.Add(first, new RouteOptions(QualityOfService.AtMostOnce, subscriptionIdentifier: 1).Bits, mayOverlap: false);
        collector.Add(second, new RouteOptions(QualityOfService.AtLeastOnce, subscriptionIdentifier: 7).Bits, mayOverlap: false);
        collector.Add(first, new RouteOptions(QualityOfService.ExactlyOnce, subscriptionIdentifier: 2).Bits, mayOverlap: true);
        collector.Add(first, new RouteOptions(QualityOfService.AtMostOnce, retainAsPublished: true, subscriptionIdentifier: 3).Bits, mayOverlap: false);
        collector.Add(second, new RouteOptions(QualityOfService.AtMostOnce).Bits, mayOverlap: false);

        collector.Complete(treeChanged: true);

        Dictionary<TestSubscriber, SubscriberDelivery> merged = MatchSnapshot.Take(collector);
        Assert.Equal(2, merged.Count);
        Assert.Equal(QualityOfService.ExactlyOnce, merged[first].MaximumQoS);
        Assert.True(merged[first].RetainAsPublished);
        Assert.Equal([1u, 2u, 3u], merged[first].Identifiers);
        Assert.Equal(QualityOfService.AtLeastOnce, merged[second].MaximumQoS);
        Assert.False(merged[second].RetainAsPublished);
        Assert.Equal([7u], merged[second].Identifiers);
    }

    [Fact]
    public void Complete_ManyDuplicatesAfterChange_StaysLinearAndMerges()
    {
        var subscribers = new TestSubscriber[50_000];
        using var collector = new MatchCollector<TestSubscriber>();
        collector.Reset();
        for (int round = 0; round < 2; round++)
        {
            for (int i = 0; i < subscribers.Length; i++)
            {
                subscribers[i] ??= new TestSubscriber($"s{i}");
                collector.Add(subscribers[i], new RouteOptions(QualityOfService.AtMostOnce, subscriptionIdentifier: (uint)(round + 1)).Bits, mayOverlap: false);
            }
        }

        collector.Complete(treeChanged: true);

        Assert.Equal(subscribers.Length, collector.Count);
        foreach (ref readonly SubscriberMatch<TestSubscriber> match in collector.Matches)
        {
            Assert.Equal(2, collector.GetSubscriptionIdentifiers(match).Length);
        }
    }
}
