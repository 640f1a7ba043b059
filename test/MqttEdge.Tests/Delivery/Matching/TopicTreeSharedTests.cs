using Bifro.MqttEdge.Codec;
using Bifro.MqttEdge.Delivery.Matching;
using Xunit;

namespace Bifro.MqttEdge.Tests.Delivery.Matching;

public sealed class TopicTreeSharedTests
{
    private static readonly RouteOptions AtMostOnce = new(QualityOfService.AtMostOnce);

    [Fact]
    public void Match_SharedGroup_ExactlyOneMemberPerMessage()
    {
        var tree = new TopicTree<TestSubscriber>();
        TestSubscriber[] members = [new("m0"), new("m1"), new("m2")];
        foreach (TestSubscriber member in members)
        {
            tree.Add(member, "jobs/+", AtMostOnce, "workers");
        }

        using var collector = new MatchCollector<TestSubscriber>();
        tree.Match("jobs/1", collector);

        SharedMatch<TestSubscriber> picked = Assert.Single(collector.SharedMatches.ToArray());
        Assert.Contains(picked.Subscriber, members);
        Assert.Equal("workers", picked.ShareGroup);
        Assert.Equal(0, collector.Count);
    }

    [Fact]
    public void Match_ManyMessages_RoundRobinSpreadsEvenly()
    {
        var tree = new TopicTree<TestSubscriber>();
        TestSubscriber[] members = [new("m0"), new("m1"), new("m2"), new("m3")];
        foreach (TestSubscriber member in members)
        {
            tree.Add(member, "jobs/#", AtMostOnce, "workers");
        }

        var received = new Dictionary<TestSubscriber, int>();
        using var collector = new MatchCollector<TestSubscriber>();
        for (int i = 0; i < 4_000; i++)
        {
            tree.Match("jobs/x", collector);
            TestSubscriber subscriber = Assert.Single(collector.SharedMatches.ToArray()).Subscriber;
            received[subscriber] = received.GetValueOrDefault(subscriber) + 1;
        }

        Assert.All(members, member => Assert.Equal(1_000, received[member]));
    }

    [Fact]
    public void Match_MemberRemoved_NeverPickedAgainAndOthersShare()
    {
        var tree = new TopicTree<TestSubscriber>();
        TestSubscriber[] members = [new("m0"), new("m1"), new("m2")];
        foreach (TestSubscriber member in members)
        {
            tree.Add(member, "jobs", AtMostOnce, "workers");
        }

        Assert.True(tree.Remove(members[1], "jobs", "workers"));
        Assert.False(tree.Remove(members[1], "jobs", "workers"));
        Assert.False(tree.Remove(members[0], "jobs"));

        var received = new Dictionary<TestSubscriber, int>();
        using var collector = new MatchCollector<TestSubscriber>();
        for (int i = 0; i < 1_000; i++)
        {
            tree.Match("jobs", collector);
            TestSubscriber subscriber = Assert.Single(collector.SharedMatches.ToArray()).Subscriber;
            received[subscriber] = received.GetValueOrDefault(subscriber) + 1;
        }

        Assert.False(received.ContainsKey(members[1]));
        Assert.Equal(500, received[members[0]]);
        Assert.Equal(500, received[members[2]]);
    }

    [Fact]
    public void Match_LastMemberRemoved_GroupGoneAndNodesPruned()
    {
        var tree = new TopicTree<TestSubscriber>();
        var member = new TestSubscriber("m");
        tree.Add(member, "a/b", AtMostOnce, "g");

        tree.Remove(member, "a/b", "g");

        using var collector = new MatchCollector<TestSubscriber>();
        tree.Match("a/b", collector);
        Assert.True(collector.SharedMatches.IsEmpty);
        Assert.Equal(0, tree.NodeCount);
    }

    [Fact]
    public void Match_TwoGroupsAndTwoFilters_OneDeliveryPerGroupAndFilter()
    {
        var tree = new TopicTree<TestSubscriber>();
        var a = new TestSubscriber("a");
        var b = new TestSubscriber("b");
        tree.Add(a, "x/+", AtMostOnce, "g1");
        tree.Add(b, "x/+", AtMostOnce, "g1");
        tree.Add(a, "x/#", AtMostOnce, "g1");
        tree.Add(b, "x/+", AtMostOnce, "g2");
        tree.Add(a, "y/+", AtMostOnce, "g2");

        using var collector = new MatchCollector<TestSubscriber>();
        tree.Match("x/1", collector);

        SharedMatch<TestSubscriber>[] shared = collector.SharedMatches.ToArray();
        Assert.Equal(3, shared.Length);
        Assert.Equal(2, shared.Count(match => match.ShareGroup == "g1"));
        Assert.Same(b, shared.Single(match => match.ShareGroup == "g2").Subscriber);
    }

    [Fact]
    public void Match_NormalAndSharedSubscriptionOfOneClient_ReportsBoth()
    {
        var tree = new TopicTree<TestSubscriber>();
        var client = new TestSubscriber("c");
        tree.Add(client, "a/b", new RouteOptions(QualityOfService.AtMostOnce, subscriptionIdentifier: 1));
        tree.Add(client, "a/b", new RouteOptions(QualityOfService.ExactlyOnce, retainAsPublished: true, subscriptionIdentifier: 2), "g");

        using var collector = new MatchCollector<TestSubscriber>();
        tree.Match("a/b", collector);

        SubscriberMatch<TestSubscriber> normal = Assert.Single(collector.Matches.ToArray());
        Assert.Same(client, normal.Subscriber);
        Assert.Equal(QualityOfService.AtMostOnce, normal.MaximumQoS);
        Assert.Equal([1u], collector.GetSubscriptionIdentifiers(normal).ToArray());
        SharedMatch<TestSubscriber> shared = Assert.Single(collector.SharedMatches.ToArray());
        Assert.Same(client, shared.Subscriber);
        Assert.Equal(QualityOfService.ExactlyOnce, shared.MaximumQoS);
        Assert.True(shared.RetainAsPublished);
        Assert.Equal(2u, shared.SubscriptionIdentifier);
    }

    [Fact]
    public void Match_SharedMemberIsPublisher_StillDelivered()
    {
        // No Local is a protocol error on shared subscriptions [MQTT-3.8.3-4]; the tree ignores it there.
        var tree = new TopicTree<TestSubscriber>();
        var publisher = new TestSubscriber("p");
        tree.Add(publisher, "a", new RouteOptions(QualityOfService.AtMostOnce, noLocal: true), "g");

        using var collector = new MatchCollector<TestSubscriber>();
        tree.Match("a", collector, publisher);

        Assert.Same(publisher, Assert.Single(collector.SharedMatches.ToArray()).Subscriber);
    }

    [Fact]
    public void Add_SameMemberTwice_ReplacesOptions()
    {
        var tree = new TopicTree<TestSubscriber>();
        var member = new TestSubscriber("m");

        Assert.True(tree.Add(member, "a", AtMostOnce, "g"));
        Assert.False(tree.Add(member, "a", new RouteOptions(QualityOfService.AtLeastOnce), "g"));

        Assert.Equal(1, tree.SharedSubscriptionCount);
        using var collector = new MatchCollector<TestSubscriber>();
        tree.Match("a", collector);
        Assert.Equal(QualityOfService.AtLeastOnce, Assert.Single(collector.SharedMatches.ToArray()).MaximumQoS);
    }

    [Fact]
    public void Match_SharedWildcardFilterOnDollarTopic_NotMatched()
    {
        var tree = new TopicTree<TestSubscriber>();
        tree.Add(new TestSubscriber("m"), "#", AtMostOnce, "g");

        using var collector = new MatchCollector<TestSubscriber>();
        tree.Match("$SYS/x", collector);

        Assert.True(collector.SharedMatches.IsEmpty);
    }
}
