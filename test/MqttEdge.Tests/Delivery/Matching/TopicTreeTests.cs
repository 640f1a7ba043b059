using System.Text;
using Bifro.MqttEdge.Codec;
using Bifro.MqttEdge.Delivery.Matching;
using Xunit;

namespace Bifro.MqttEdge.Tests.Delivery.Matching;

public sealed class TopicTreeTests
{
    private static readonly RouteOptions AtMostOnce = new(QualityOfService.AtMostOnce);

    public static TheoryData<string, string, bool> SpecExamples => TopicFilterTests.SpecExamples;

    [Theory]
    [MemberData(nameof(SpecExamples))]
    public void Match_SpecExample_AgreesWithSpec(string filter, string topic, bool expected)
    {
        if (topic.Length == 0)
        {
            return;
        }

        var tree = new TopicTree<TestSubscriber>();
        var subscriber = new TestSubscriber("s");
        tree.Add(subscriber, filter, AtMostOnce);

        Assert.Equal(expected, MatchSnapshot.Match(tree, topic).ContainsKey(subscriber));
    }

    [Theory]
    [MemberData(nameof(SpecExamples))]
    public void Match_SpecExampleAsUtf8_AgreesWithSpec(string filter, string topic, bool expected)
    {
        if (topic.Length == 0)
        {
            return;
        }

        var tree = new TopicTree<TestSubscriber>();
        var subscriber = new TestSubscriber("s");
        tree.Add(subscriber, filter, AtMostOnce);
        using var collector = new MatchCollector<TestSubscriber>();

        tree.Match(Encoding.UTF8.GetBytes(topic), collector);

        Assert.Equal(expected ? 1 : 0, collector.Count);
    }

    [Fact]
    public void Match_NonAsciiUtf8Topic_DecodesAndMatchesByLevel()
    {
        var tree = new TopicTree<TestSubscriber>();
        var wildcard = new TestSubscriber("wildcard");
        var exact = new TestSubscriber("exact");
        tree.Add(wildcard, "ü/+/€", AtMostOnce);
        tree.Add(exact, "ü/ß/€", AtMostOnce);
        for (int i = 0; i < 20; i++)
        {
            // Enough siblings for the level to use the hash table.
            tree.Add(exact, $"ü/日本{i}/€", AtMostOnce);
        }

        using var collector = new MatchCollector<TestSubscriber>();
        tree.Match(Encoding.UTF8.GetBytes("ü/ß/€"), collector);
        Assert.Equal(2, collector.Count);
        tree.Match(Encoding.UTF8.GetBytes("ü/日本7/€"), collector);
        Assert.Equal(2, collector.Count);
        tree.Match(Encoding.UTF8.GetBytes("ü/日本/€"), collector);
        Assert.Same(wildcard, Assert.Single(collector.Matches.ToArray()).Subscriber);
    }

    [Fact]
    public void Match_ManyFiltersOnSpecTopics_ReturnsExactlyTheMatchingOnes()
    {
        string[] filters =
        [
            "sport/tennis/player1/#", "sport/#", "sport/tennis/+", "sport/+", "+/+", "/+", "+", "#", "$SYS/#",
            "+/monitor/Clients", "$SYS/monitor/+", "a//b", "/a", "a/", "+/", "sport/tennis/player1",
        ];
        var tree = new TopicTree<TestSubscriber>();
        var byFilter = new Dictionary<string, TestSubscriber>();
        foreach (string filter in filters)
        {
            byFilter[filter] = new TestSubscriber(filter);
            tree.Add(byFilter[filter], filter, AtMostOnce);
        }

        string[] topics =
        [
            "sport", "sport/", "sport/tennis", "sport/tennis/player1", "sport/tennis/player1/ranking", "/finance",
            "/", "$SYS/monitor/Clients", "$SYS", "a//b", "/a", "a", "a/", "finance", "$x/monitor/Clients",
        ];
        foreach (string topic in topics)
        {
            Dictionary<TestSubscriber, SubscriberDelivery> matched = MatchSnapshot.Match(tree, topic);
            foreach (string filter in filters)
            {
                Assert.True(
                    TopicFilter.Matches(filter, topic) == matched.ContainsKey(byFilter[filter]),
                    $"filter '{filter}', topic '{topic}'");
            }
        }
    }

    [Fact]
    public void Match_TopicWithDollar_WildcardFirstLevelDoesNotMatchButLiteralDoes()
    {
        var tree = new TopicTree<TestSubscriber>();
        var everything = new TestSubscriber("#");
        var anyMonitor = new TestSubscriber("+/monitor/Clients");
        var system = new TestSubscriber("$SYS/#");
        tree.Add(everything, "#", AtMostOnce);
        tree.Add(anyMonitor, "+/monitor/Clients", AtMostOnce);
        tree.Add(system, "$SYS/#", AtMostOnce);

        Dictionary<TestSubscriber, SubscriberDelivery> matched = MatchSnapshot.Match(tree, "$SYS/monitor/Clients");

        Assert.Equal([system], matched.Keys);
        Assert.Equal(2, MatchSnapshot.Match(tree, "x/monitor/Clients").Count);
    }

    [Fact]
    public void Match_MultiLevelWildcard_MatchesParentLevel()
    {
        var tree = new TopicTree<TestSubscriber>();
        var subscriber = new TestSubscriber("s");
        tree.Add(subscriber, "a/b/#", AtMostOnce);

        Assert.Single(MatchSnapshot.Match(tree, "a/b"));
        Assert.Single(MatchSnapshot.Match(tree, "a/b/c/d"));
        Assert.Empty(MatchSnapshot.Match(tree, "a"));
    }

    [Fact]
    public void Match_OverlappingSubscriptions_OneEntryWithHighestQoSAllIdentifiersAndRetainAsPublished()
    {
        var tree = new TopicTree<TestSubscriber>();
        var subscriber = new TestSubscriber("s");
        tree.Add(subscriber, "a/b", new RouteOptions(QualityOfService.AtMostOnce, subscriptionIdentifier: 1));
        tree.Add(subscriber, "a/+", new RouteOptions(QualityOfService.ExactlyOnce, subscriptionIdentifier: 2));
        tree.Add(subscriber, "#", new RouteOptions(QualityOfService.AtLeastOnce, retainAsPublished: true, subscriptionIdentifier: 3));
        tree.Add(subscriber, "a/#", new RouteOptions(QualityOfService.AtMostOnce));
        tree.Add(subscriber, "x/y", new RouteOptions(QualityOfService.ExactlyOnce, subscriptionIdentifier: 9));

        Dictionary<TestSubscriber, SubscriberDelivery> matched = MatchSnapshot.Match(tree, "a/b");

        SubscriberDelivery delivery = Assert.Single(matched).Value;
        Assert.Equal(QualityOfService.ExactlyOnce, delivery.MaximumQoS);
        Assert.True(delivery.RetainAsPublished);
        Assert.Equal([1u, 2u, 3u], delivery.Identifiers);
    }

    [Fact]
    public void Match_OverlappingWithoutRetainAsPublished_RetainAsPublishedFalse()
    {
        var tree = new TopicTree<TestSubscriber>();
        var subscriber = new TestSubscriber("s");
        tree.Add(subscriber, "a/b", new RouteOptions(QualityOfService.AtLeastOnce));
        tree.Add(subscriber, "a/+", new RouteOptions(QualityOfService.AtMostOnce));

        SubscriberDelivery delivery = Assert.Single(MatchSnapshot.Match(tree, "a/b")).Value;

        Assert.False(delivery.RetainAsPublished);
        Assert.Equal(QualityOfService.AtLeastOnce, delivery.MaximumQoS);
        Assert.Empty(delivery.Identifiers);
    }

    [Fact]
    public void Match_SeveralSubscribersSeveralFilters_EachSubscriberOnceWithItsOwnIdentifiers()
    {
        var tree = new TopicTree<TestSubscriber>();
        var first = new TestSubscriber("first");
        var second = new TestSubscriber("second");
        var single = new TestSubscriber("single");
        tree.Add(first, "a/b", new RouteOptions(QualityOfService.AtMostOnce, subscriptionIdentifier: 11));
        tree.Add(second, "a/b", new RouteOptions(QualityOfService.AtLeastOnce, subscriptionIdentifier: 21));
        tree.Add(single, "a/b", new RouteOptions(QualityOfService.AtLeastOnce, subscriptionIdentifier: 31));
        tree.Add(first, "a/+", new RouteOptions(QualityOfService.AtLeastOnce, subscriptionIdentifier: 12));
        tree.Add(second, "+/b", new RouteOptions(QualityOfService.AtMostOnce, subscriptionIdentifier: 22));

        Dictionary<TestSubscriber, SubscriberDelivery> matched = MatchSnapshot.Match(tree, "a/b");

        Assert.Equal(3, matched.Count);
        Assert.Equal([11u, 12u], matched[first].Identifiers);
        Assert.Equal([21u, 22u], matched[second].Identifiers);
        Assert.Equal([31u], matched[single].Identifiers);
        Assert.Equal(QualityOfService.AtLeastOnce, matched[first].MaximumQoS);
        Assert.Equal(QualityOfService.AtLeastOnce, matched[second].MaximumQoS);
    }

    [Fact]
    public void Match_NoLocalSubscriptionOfPublisher_SkipsOnlyThatSubscription()
    {
        var tree = new TopicTree<TestSubscriber>();
        var publisher = new TestSubscriber("publisher");
        var other = new TestSubscriber("other");
        tree.Add(publisher, "a/b", new RouteOptions(QualityOfService.ExactlyOnce, noLocal: true, subscriptionIdentifier: 1));
        tree.Add(publisher, "a/+", new RouteOptions(QualityOfService.AtMostOnce, subscriptionIdentifier: 2));
        tree.Add(other, "a/b", new RouteOptions(QualityOfService.AtLeastOnce, noLocal: true));

        Dictionary<TestSubscriber, SubscriberDelivery> fromPublisher = MatchSnapshot.Match(tree, "a/b", publisher);
        Dictionary<TestSubscriber, SubscriberDelivery> fromElsewhere = MatchSnapshot.Match(tree, "a/b");

        Assert.Equal(QualityOfService.AtMostOnce, fromPublisher[publisher].MaximumQoS);
        Assert.Equal([2u], fromPublisher[publisher].Identifiers);
        Assert.True(fromPublisher.ContainsKey(other));
        Assert.Equal(QualityOfService.ExactlyOnce, fromElsewhere[publisher].MaximumQoS);
        Assert.Equal([1u, 2u], fromElsewhere[publisher].Identifiers);
    }

    [Fact]
    public void Match_OnlyNoLocalSubscriptionsOfPublisher_PublisherNotMatched()
    {
        var tree = new TopicTree<TestSubscriber>();
        var publisher = new TestSubscriber("publisher");
        tree.Add(publisher, "a/b", new RouteOptions(QualityOfService.AtLeastOnce, noLocal: true));

        Assert.Empty(MatchSnapshot.Match(tree, "a/b", publisher));
    }

    [Fact]
    public void Add_SameSubscriberAndFilter_ReplacesOptions()
    {
        var tree = new TopicTree<TestSubscriber>();
        var subscriber = new TestSubscriber("s");

        bool added = tree.Add(subscriber, "a/b", new RouteOptions(QualityOfService.AtMostOnce, subscriptionIdentifier: 1));
        bool addedAgain = tree.Add(subscriber, "a/b", new RouteOptions(QualityOfService.ExactlyOnce, retainAsPublished: true, subscriptionIdentifier: 2));

        Assert.True(added);
        Assert.False(addedAgain);
        Assert.Equal(1, tree.SubscriptionCount);
        SubscriberDelivery delivery = Assert.Single(MatchSnapshot.Match(tree, "a/b")).Value;
        Assert.Equal(QualityOfService.ExactlyOnce, delivery.MaximumQoS);
        Assert.True(delivery.RetainAsPublished);
        Assert.Equal([2u], delivery.Identifiers);
        Assert.True(tree.TryGetOptions(subscriber, "a/b", null, out RouteOptions options));
        Assert.Equal(new RouteOptions(QualityOfService.ExactlyOnce, retainAsPublished: true, subscriptionIdentifier: 2), options);
    }

    [Fact]
    public void Add_SameFilterOnCrowdedNodeForSubscriberWithManyFilters_ReplacesNotDuplicates()
    {
        var tree = new TopicTree<TestSubscriber>();
        var subscriber = new TestSubscriber("s");
        for (int i = 0; i < 50; i++)
        {
            tree.Add(new TestSubscriber($"other{i}"), "a/b", AtMostOnce);
            tree.Add(subscriber, $"f/{i}", AtMostOnce);
        }

        tree.Add(subscriber, "a/b", AtMostOnce);
        bool addedAgain = tree.Add(subscriber, "a/b", new RouteOptions(QualityOfService.AtLeastOnce));

        Assert.False(addedAgain);
        Assert.Equal(101, tree.SubscriptionCount);
        Assert.Equal(QualityOfService.AtLeastOnce, MatchSnapshot.Match(tree, "a/b")[subscriber].MaximumQoS);
    }

    [Fact]
    public void Add_SameFilterAsSharedAndNonShared_KeepsBoth()
    {
        var tree = new TopicTree<TestSubscriber>();
        var subscriber = new TestSubscriber("s");

        Assert.True(tree.Add(subscriber, "a/b", AtMostOnce));
        Assert.True(tree.Add(subscriber, "a/b", AtMostOnce, "g"));
        Assert.True(tree.Add(subscriber, "a/b", AtMostOnce, "h"));

        Assert.Equal(3, tree.SubscriptionCount);
        Assert.Equal(2, tree.SharedSubscriptionCount);
        Assert.Equal(1, tree.SubscriberCount);
    }

    [Theory]
    [InlineData("a/#/b")]
    [InlineData("a+")]
    [InlineData("")]
    public void Add_InvalidFilter_Throws(string filter)
    {
        var tree = new TopicTree<TestSubscriber>();

        Assert.Throws<ArgumentException>(() => tree.Add(new TestSubscriber("s"), filter, AtMostOnce));
        Assert.Equal(0, tree.NodeCount);
    }

    [Theory]
    [InlineData("")]
    [InlineData("a/b")]
    [InlineData("a+")]
    [InlineData("#")]
    public void Add_InvalidShareGroup_Throws(string shareGroup)
    {
        var tree = new TopicTree<TestSubscriber>();

        Assert.Throws<ArgumentException>(() => tree.Add(new TestSubscriber("s"), "a", AtMostOnce, shareGroup));
    }

    [Fact]
    public void Remove_ExistingSubscription_ReturnsTrueAndStopsMatching()
    {
        var tree = new TopicTree<TestSubscriber>();
        var subscriber = new TestSubscriber("s");
        var other = new TestSubscriber("o");
        tree.Add(subscriber, "a/+", AtMostOnce);
        tree.Add(other, "a/+", AtMostOnce);

        Assert.True(tree.Remove(subscriber, "a/+"));
        Assert.False(tree.Remove(subscriber, "a/+"));
        Assert.False(tree.Remove(subscriber, "never/subscribed"));
        Assert.False(tree.Remove(other, "a/b"));
        Assert.False(tree.Remove(other, "a/+", "g"));

        Assert.Equal([other], MatchSnapshot.Match(tree, "a/b").Keys);
        Assert.Equal(1, tree.SubscriptionCount);
        Assert.Equal(1, tree.SubscriberCount);
    }

    [Fact]
    public void Remove_OneOfOverlappingSubscriptions_RemainingOneStillMatches()
    {
        var tree = new TopicTree<TestSubscriber>();
        var subscriber = new TestSubscriber("s");
        tree.Add(subscriber, "a/b", new RouteOptions(QualityOfService.AtMostOnce, subscriptionIdentifier: 1));
        tree.Add(subscriber, "a/#", new RouteOptions(QualityOfService.AtLeastOnce, subscriptionIdentifier: 2));

        tree.Remove(subscriber, "a/#");

        SubscriberDelivery delivery = Assert.Single(MatchSnapshot.Match(tree, "a/b")).Value;
        Assert.Equal(QualityOfService.AtMostOnce, delivery.MaximumQoS);
        Assert.Equal([1u], delivery.Identifiers);
    }

    [Fact]
    public void Remove_EverySubscription_PrunesAllNodes()
    {
        var tree = new TopicTree<TestSubscriber>();
        var subscriber = new TestSubscriber("s");
        string[] filters = ["a/b/c", "a/b", "a/+/c", "a/#", "#", "+", "/", "a//b", "$SYS/x"];
        foreach (string filter in filters)
        {
            tree.Add(subscriber, filter, AtMostOnce);
            tree.Add(subscriber, filter, AtMostOnce, "g");
        }

        Assert.True(tree.NodeCount > 0);
        foreach (string filter in filters)
        {
            Assert.True(tree.Remove(subscriber, filter));
            Assert.True(tree.Remove(subscriber, filter, "g"));
        }

        Assert.Equal(0, tree.NodeCount);
        Assert.Equal(0, tree.SubscriptionCount);
        Assert.Equal(0, tree.SharedSubscriptionCount);
        Assert.Equal(0, tree.SubscriberCount);
        Assert.Empty(MatchSnapshot.Match(tree, "a/b/c"));
    }

    [Fact]
    public void Remove_LeafOfSharedPrefix_PrunesOnlyEmptyNodes()
    {
        var tree = new TopicTree<TestSubscriber>();
        var subscriber = new TestSubscriber("s");
        tree.Add(subscriber, "a/b", AtMostOnce);
        tree.Add(subscriber, "a/b/c/d", AtMostOnce);
        Assert.Equal(4, tree.NodeCount);

        tree.Remove(subscriber, "a/b/c/d");

        Assert.Equal(2, tree.NodeCount);
        Assert.Single(MatchSnapshot.Match(tree, "a/b"));
    }

    [Fact]
    public void Remove_ManyChildrenOfOneLevel_MatchesRemainingAndPrunes()
    {
        // More children than fit the array form: the level moves to a hash table and back.
        var tree = new TopicTree<TestSubscriber>();
        var subscribers = new TestSubscriber[40];
        for (int i = 0; i < subscribers.Length; i++)
        {
            subscribers[i] = new TestSubscriber($"s{i}");
            tree.Add(subscribers[i], $"devices/{i}/cmd", AtMostOnce);
        }

        Assert.Equal(1 + 40 + 40, tree.NodeCount);
        for (int i = 0; i < subscribers.Length; i++)
        {
            Assert.Equal([subscribers[i]], MatchSnapshot.Match(tree, $"devices/{i}/cmd").Keys);
        }

        for (int i = 0; i < subscribers.Length - 2; i++)
        {
            tree.Remove(subscribers[i], $"devices/{i}/cmd");
            Assert.Empty(MatchSnapshot.Match(tree, $"devices/{i}/cmd"));
        }

        Assert.Equal([subscribers[39]], MatchSnapshot.Match(tree, "devices/39/cmd").Keys);
        Assert.Equal(1 + 2 + 2, tree.NodeCount);
        tree.Remove(subscribers[38], "devices/38/cmd");
        tree.Remove(subscribers[39], "devices/39/cmd");
        Assert.Equal(0, tree.NodeCount);
    }

    [Fact]
    public void RemoveAll_SubscriberWithManySubscriptions_RemovesOnlyItsOwn()
    {
        var tree = new TopicTree<TestSubscriber>();
        var leaving = new TestSubscriber("leaving");
        var staying = new TestSubscriber("staying");
        tree.Add(leaving, "a/b", AtMostOnce);
        tree.Add(leaving, "a/+", AtMostOnce);
        tree.Add(leaving, "#", AtMostOnce);
        tree.Add(leaving, "x/y", AtMostOnce, "g");
        tree.Add(staying, "a/b", AtMostOnce);
        tree.Add(staying, "x/y", AtMostOnce, "g");

        int removed = tree.RemoveAll(leaving);

        Assert.Equal(4, removed);
        Assert.Equal(0, tree.RemoveAll(leaving));
        Assert.Equal(2, tree.SubscriptionCount);
        Assert.Equal(1, tree.SubscriberCount);
        Assert.Equal(4, tree.NodeCount);
        Assert.Equal([staying], MatchSnapshot.Match(tree, "a/b").Keys);
        using var collector = new MatchCollector<TestSubscriber>();
        for (int i = 0; i < 10; i++)
        {
            tree.Match("x/y", collector);
            Assert.Same(staying, Assert.Single(collector.SharedMatches.ToArray()).Subscriber);
        }

        tree.RemoveAll(staying);
        Assert.Equal(0, tree.NodeCount);
        Assert.Equal(0, tree.SubscriberCount);
    }

    [Fact]
    public void Match_LargeFanOutWithOverlaps_OneEntryPerSubscriber()
    {
        var tree = new TopicTree<TestSubscriber>();
        var subscribers = new TestSubscriber[100_000];
        for (int i = 0; i < subscribers.Length; i++)
        {
            subscribers[i] = new TestSubscriber($"s{i}");
            tree.Add(subscribers[i], "fan/out", new RouteOptions(QualityOfService.AtMostOnce, subscriptionIdentifier: 1));
        }

        // Every tenth subscriber also has a wildcard subscription that matches.
        for (int i = 0; i < subscribers.Length; i += 10)
        {
            tree.Add(subscribers[i], "fan/#", new RouteOptions(QualityOfService.AtLeastOnce, subscriptionIdentifier: 2));
        }

        Dictionary<TestSubscriber, SubscriberDelivery> matched = MatchSnapshot.Match(tree, "fan/out");

        Assert.Equal(subscribers.Length, matched.Count);
        Assert.Equal([1u, 2u], matched[subscribers[10]].Identifiers);
        Assert.Equal(QualityOfService.AtLeastOnce, matched[subscribers[10]].MaximumQoS);
        Assert.Equal([1u], matched[subscribers[11]].Identifiers);
    }

    [Fact]
    public void Match_EmptyTopic_MatchesNothing()
    {
        var tree = new TopicTree<TestSubscriber>();
        tree.Add(new TestSubscriber("s"), "#", AtMostOnce);

        Assert.Empty(MatchSnapshot.Match(tree, string.Empty));
    }

    [Fact]
    public void Match_DeepTopicAndFilter_DoesNotOverflowTheStack()
    {
        var tree = new TopicTree<TestSubscriber>();
        var subscriber = new TestSubscriber("s");
        string filter = string.Join('/', Enumerable.Repeat("+", 20_000));
        string topic = new('/', 19_999);
        tree.Add(subscriber, filter, AtMostOnce);

        Assert.Single(MatchSnapshot.Match(tree, topic));
        Assert.True(tree.Remove(subscriber, filter));
        Assert.Equal(0, tree.NodeCount);
    }

    [Fact]
    public void Collector_Clear_DropsEntries()
    {
        var tree = new TopicTree<TestSubscriber>();
        tree.Add(new TestSubscriber("s"), "a", new RouteOptions(QualityOfService.AtMostOnce, subscriptionIdentifier: 5));
        tree.Add(new TestSubscriber("t"), "a", AtMostOnce, "g");
        using var collector = new MatchCollector<TestSubscriber>();
        tree.Match("a", collector);
        Assert.Equal(1, collector.Count);
        Assert.Equal(1, collector.SharedMatches.Length);

        collector.Clear();

        Assert.Equal(0, collector.Count);
        Assert.True(collector.Matches.IsEmpty);
        Assert.True(collector.SharedMatches.IsEmpty);
        collector.TrimExcess();
        tree.Match("a", collector);
        Assert.Equal(5u, collector.GetSubscriptionIdentifiers(collector.Matches[0])[0]);
    }
}
