using Bifro.MqttEdge.Codec;
using Bifro.MqttEdge.Delivery.Matching;
using Xunit;

namespace Bifro.MqttEdge.Tests.Delivery.Matching;

/// <summary>Copies match results into dictionaries for assertions.</summary>
internal static class MatchSnapshot
{
    /// <summary>Copies the non-shared entries; fails if a subscriber appears twice.</summary>
    public static Dictionary<TestSubscriber, SubscriberDelivery> Take(MatchCollector<TestSubscriber> collector)
    {
        var result = new Dictionary<TestSubscriber, SubscriberDelivery>(ReferenceEqualityComparer.Instance);
        foreach (ref readonly SubscriberMatch<TestSubscriber> match in collector.Matches)
        {
            uint[] identifiers = collector.GetSubscriptionIdentifiers(match).ToArray();
            Array.Sort(identifiers);
            Assert.True(
                result.TryAdd(match.Subscriber, new SubscriberDelivery(match.MaximumQoS, match.RetainAsPublished, identifiers)),
                $"{match.Subscriber} appears twice in one match result.");
        }

        return result;
    }

    public static Dictionary<TestSubscriber, SubscriberDelivery> Match(
        TopicTree<TestSubscriber> tree, string topic, TestSubscriber? publisher = null)
    {
        using var collector = new MatchCollector<TestSubscriber>();
        tree.Match(topic, collector, publisher);
        return Take(collector);
    }
}
