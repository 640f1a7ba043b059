using Bifro.MqttEdge.Codec;
using Bifro.MqttEdge.Delivery.Matching;
using FsCheck;
using FsCheck.Fluent;
using Xunit;

namespace Bifro.MqttEdge.Tests.Delivery.Matching;

/// <summary>The tree against a naive oracle: every filter tried on its own with <see cref="TopicFilter"/>, then merged.</summary>
public sealed class TopicTreePropertyTests
{
    // Small alphabets so that filters and topics collide: empty levels and '$' levels included.
    private static readonly string[] TopicLevels = ["a", "b", "", "$x"];
    private static readonly string[] FilterLevels = ["a", "b", "", "$x", "+"];
    private static readonly string?[] Groups = [null, null, null, "g1", "g2"];

    [Fact]
    public void Match_RandomFiltersAndTopics_EqualsOracle()
    {
        Prop.ForAll(ScenarioGen().ToArbitrary(), scenario => Check(scenario))
            .QuickCheckThrowOnFailure();
    }

    [Fact]
    public void Match_ManyRandomScenarios_EqualsOracle()
    {
        FsCheck.Check.One(
            Config.QuickThrowOnFailure.WithMaxTest(1_000).WithEndSize(30),
            Prop.ForAll(ScenarioGen().ToArbitrary(), scenario => Check(scenario)));
    }

    private static Gen<string> FilterGen() =>
        from levelCount in Gen.Choose(0, 4)
        from levels in Gen.ArrayOf(Gen.Elements(FilterLevels), levelCount)
        from multiLevel in Gen.Elements(false, false, true)
        let all = multiLevel || levelCount == 0 ? [.. levels, "#"] : levels
        let filter = string.Join('/', all)
        where filter.Length > 0
        select filter;

    private static Gen<string> TopicGen() =>
        from levelCount in Gen.Choose(1, 4)
        from levels in Gen.ArrayOf(Gen.Elements(TopicLevels), levelCount)
        let topic = string.Join('/', levels)
        where topic.Length > 0
        select topic;

    private static Gen<Operation> OperationGen() =>
        from isAdd in Gen.Elements(true, true, true, false)
        from subscriber in Gen.Choose(0, 3)
        from filter in FilterGen()
        from shareGroup in Gen.Elements(Groups)
        from qos in Gen.Choose(0, 2)
        from noLocal in Gen.Elements(false, true)
        from retainAsPublished in Gen.Elements(false, true)
        from identifier in Gen.Choose(0, 3)
        select new Operation(
            isAdd,
            subscriber,
            filter,
            shareGroup,
            new RouteOptions((QualityOfService)qos, noLocal && shareGroup is null, retainAsPublished, (uint)identifier));

    private static Gen<Scenario> ScenarioGen() =>
        from operations in Gen.ArrayOf(OperationGen())
        from topics in Gen.ArrayOf(TopicGen())
        from publisher in Gen.Choose(-1, 3)
        select new Scenario(operations, topics, publisher);

    private static bool Check(Scenario scenario)
    {
        TestSubscriber[] subscribers = [new("s0"), new("s1"), new("s2"), new("s3")];
        var tree = new TopicTree<TestSubscriber>();
        var model = new Dictionary<(int Subscriber, string Filter, string? Group), RouteOptions>();
        foreach (Operation operation in scenario.Operations)
        {
            var key = (operation.Subscriber, operation.Filter, operation.Group);
            if (operation.IsAdd)
            {
                bool added = tree.Add(subscribers[operation.Subscriber], operation.Filter, operation.Options, operation.Group);
                Assert.Equal(!model.ContainsKey(key), added);
                model[key] = operation.Options;
            }
            else
            {
                Assert.Equal(model.Remove(key), tree.Remove(subscribers[operation.Subscriber], operation.Filter, operation.Group));
            }
        }

        Assert.Equal(model.Count, tree.SubscriptionCount);
        TestSubscriber? publisher = scenario.Publisher < 0 ? null : subscribers[scenario.Publisher];
        using var collector = new MatchCollector<TestSubscriber>();
        foreach (string topic in scenario.Topics)
        {
            tree.Match(topic, collector, publisher);
            AssertNonSharedEqualsOracle(model, subscribers, topic, publisher, collector);
            AssertSharedEqualsOracle(model, subscribers, topic, collector);
        }

        foreach (TestSubscriber subscriber in subscribers)
        {
            tree.RemoveAll(subscriber);
        }

        Assert.Equal(0, tree.NodeCount);
        Assert.Equal(0, tree.SubscriptionCount);
        return true;
    }

    private static void AssertNonSharedEqualsOracle(
        Dictionary<(int Subscriber, string Filter, string? Group), RouteOptions> model,
        TestSubscriber[] subscribers,
        string topic,
        TestSubscriber? publisher,
        MatchCollector<TestSubscriber> collector)
    {
        var expected = new Dictionary<TestSubscriber, SubscriberDelivery>(ReferenceEqualityComparer.Instance);
        foreach (((int subscriberIndex, string filter, string? group), RouteOptions options) in model)
        {
            TestSubscriber subscriber = subscribers[subscriberIndex];
            if (group is not null || !TopicFilter.Matches(filter, topic) || (options.NoLocal && subscriber == publisher))
            {
                continue;
            }

            uint[] identifiers = options.SubscriptionIdentifier == 0 ? [] : [options.SubscriptionIdentifier];
            expected[subscriber] = expected.TryGetValue(subscriber, out SubscriberDelivery? merged)
                ? new SubscriberDelivery(
                    (QualityOfService)Math.Max((int)merged.MaximumQoS, (int)options.MaximumQoS),
                    merged.RetainAsPublished || options.RetainAsPublished,
                    [.. merged.Identifiers, .. identifiers])
                : new SubscriberDelivery(options.MaximumQoS, options.RetainAsPublished, identifiers);
        }

        Dictionary<TestSubscriber, SubscriberDelivery> actual = MatchSnapshot.Take(collector);
        Assert.Equal(expected.Count, actual.Count);
        foreach ((TestSubscriber subscriber, SubscriberDelivery delivery) in expected)
        {
            Assert.True(actual.TryGetValue(subscriber, out SubscriberDelivery? got), $"{subscriber} missing for '{topic}'");
            Assert.Equal(delivery.MaximumQoS, got.MaximumQoS);
            Assert.Equal(delivery.RetainAsPublished, got.RetainAsPublished);
            Assert.Equal(delivery.Identifiers.Order(), got.Identifiers);
        }
    }

    private static void AssertSharedEqualsOracle(
        Dictionary<(int Subscriber, string Filter, string? Group), RouteOptions> model,
        TestSubscriber[] subscribers,
        string topic,
        MatchCollector<TestSubscriber> collector)
    {
        // Members of each matching (group, filter): exactly one of them per pair.
        var pairs = new Dictionary<(string Group, string Filter), List<TestSubscriber>>();
        foreach (((int subscriberIndex, string filter, string? group), _) in model)
        {
            if (group is not null && TopicFilter.Matches(filter, topic))
            {
                if (!pairs.TryGetValue((group, filter), out List<TestSubscriber>? members))
                {
                    pairs[(group, filter)] = members = [];
                }

                members.Add(subscribers[subscriberIndex]);
            }
        }

        SharedMatch<TestSubscriber>[] shared = collector.SharedMatches.ToArray();
        Assert.Equal(pairs.Count, shared.Length);
        foreach (string group in pairs.Keys.Select(pair => pair.Group).Distinct())
        {
            Assert.Equal(pairs.Keys.Count(pair => pair.Group == group), shared.Count(match => match.ShareGroup == group));
        }

        foreach (SharedMatch<TestSubscriber> match in shared)
        {
            Assert.Contains(
                pairs,
                pair => pair.Key.Group == match.ShareGroup && pair.Value.Contains(match.Subscriber));
        }
    }

    private sealed record Operation(bool IsAdd, int Subscriber, string Filter, string? Group, RouteOptions Options);

    private sealed record Scenario(Operation[] Operations, string[] Topics, int Publisher)
    {
        public override string ToString() =>
            $"publisher {Publisher}; topics [{string.Join(", ", Topics)}]; operations [{string.Join(", ", Operations.Select(op => $"{(op.IsAdd ? "+" : "-")}s{op.Subscriber} '{op.Filter}' {op.Group} ({op.Options})"))}]";
    }
}
