using Bifro.MqttEdge.Codec;
using Bifro.MqttEdge.Delivery.Matching;
using Xunit;

namespace Bifro.MqttEdge.Tests.Delivery.Matching;

public sealed class TopicTreeConcurrencyTests
{
    private const int Writes = 30_000;
    private const int MinimumReadsPerReader = 2_000;
    private const int MaximumReadsPerReader = 500_000;
    private static readonly string[] ChurnFilters = ["a/b", "a/+", "#", "a/#", "+/b", "x/y", "a/b/c"];

    [Fact]
    public async Task Match_WhileAnotherThreadAddsAndRemoves_NoExceptionNoDuplicateNoLoss()
    {
        var tree = new TopicTree<TestSubscriber>();
        TestSubscriber[] stable = [.. Enumerable.Range(0, 20).Select(i => new TestSubscriber($"stable{i}"))];
        TestSubscriber[] churners = [.. Enumerable.Range(0, 10).Select(i => new TestSubscriber($"churner{i}"))];
        TestSubscriber[] workers = [new("worker0"), new("worker1"), new("worker2")];
        for (int i = 0; i < stable.Length; i++)
        {
            tree.Add(stable[i], "a/b", new RouteOptions(QualityOfService.AtLeastOnce, subscriptionIdentifier: (uint)(i + 1)));
        }

        // A few stable subscribers overlap with themselves, so their entries take the merge path.
        for (int i = 0; i < 5; i++)
        {
            tree.Add(stable[i], "a/+", new RouteOptions(QualityOfService.AtMostOnce, subscriptionIdentifier: 100));
        }

        foreach (TestSubscriber worker in workers)
        {
            tree.Add(worker, "a/#", new RouteOptions(QualityOfService.AtMostOnce), "g");
        }

        var model = new Dictionary<(TestSubscriber Subscriber, string Filter, string? Group), RouteOptions>();
        int writerDone = 0;
        Task writer = Task.Run(() =>
        {
            var random = new Random(1234);
            for (int i = 0; i < Writes; i++)
            {
                Write(tree, model, random, stable, churners);
            }

            Volatile.Write(ref writerDone, 1);
        });
        Task[] readers =
        [
            .. Enumerable.Range(0, 2).Select(_ => Task.Run(() => Read(tree, stable, workers, () => Volatile.Read(ref writerDone) == 1))),
        ];

        await Task.WhenAll([writer, .. readers]).WaitAsync(TimeSpan.FromSeconds(120));

        // Final state: the stable subscriptions plus whatever the writer's model says is left.
        int extras = stable.Count(subscriber => tree.TryGetOptions(subscriber, "+/b", null, out _));
        Assert.Equal(20 + 5 + 3 + extras + model.Count, tree.SubscriptionCount);
        foreach (string topic in new[] { "a/b", "x/y", "a/b/c", "q" })
        {
            Dictionary<TestSubscriber, SubscriberDelivery> matched = MatchSnapshot.Match(tree, topic);
            foreach (TestSubscriber churner in churners)
            {
                bool expected = model.Any(entry => entry.Key.Subscriber == churner && entry.Key.Group is null && TopicFilter.Matches(entry.Key.Filter, topic));
                Assert.Equal(expected, matched.ContainsKey(churner));
            }
        }

        foreach (TestSubscriber subscriber in stable.Concat(churners).Concat(workers))
        {
            tree.RemoveAll(subscriber);
        }

        Assert.Equal(0, tree.NodeCount);
        Assert.Equal(0, tree.SubscriptionCount);
    }

    private static void Write(
        TopicTree<TestSubscriber> tree,
        Dictionary<(TestSubscriber Subscriber, string Filter, string? Group), RouteOptions> model,
        Random random,
        TestSubscriber[] stable,
        TestSubscriber[] churners)
    {
        int kind = random.Next(10);
        if (kind == 0)
        {
            // A stable subscriber gains or loses an extra overlapping subscription: flips its overlap flags.
            TestSubscriber subscriber = stable[random.Next(stable.Length)];
            if (!tree.Remove(subscriber, "+/b"))
            {
                tree.Add(subscriber, "+/b", new RouteOptions(QualityOfService.ExactlyOnce, subscriptionIdentifier: 500));
            }

            return;
        }

        TestSubscriber churner = churners[random.Next(churners.Length)];
        if (kind == 1)
        {
            tree.RemoveAll(churner);
            foreach (var key in model.Keys.Where(key => key.Subscriber == churner).ToArray())
            {
                model.Remove(key);
            }

            return;
        }

        string filter = ChurnFilters[random.Next(ChurnFilters.Length)];
        string? group = kind == 2 ? "g2" : null;
        var entry = (churner, filter, group);
        if (random.Next(2) == 0)
        {
            var options = new RouteOptions((QualityOfService)random.Next(3), subscriptionIdentifier: (uint)random.Next(1000, 2000));
            tree.Add(churner, filter, options, group);
            model[entry] = options;
        }
        else
        {
            Assert.Equal(model.Remove(entry), tree.Remove(churner, filter, group));
        }
    }

    private static void Read(TopicTree<TestSubscriber> tree, TestSubscriber[] stable, TestSubscriber[] workers, Func<bool> writerDone)
    {
        using var collector = new MatchCollector<TestSubscriber>();
        var seen = new HashSet<TestSubscriber>(ReferenceEqualityComparer.Instance);
        for (int i = 0; i < MaximumReadsPerReader && (i < MinimumReadsPerReader || !writerDone()); i++)
        {
            tree.Match("a/b"u8, collector);

            // One entry per subscriber, even while subscriptions of the same subscribers come and go.
            seen.Clear();
            foreach (ref readonly SubscriberMatch<TestSubscriber> match in collector.Matches)
            {
                Assert.True(seen.Add(match.Subscriber), $"{match.Subscriber} twice");
            }

            // Subscriptions nobody touches are never missed and keep their identifier.
            foreach (ref readonly SubscriberMatch<TestSubscriber> match in collector.Matches)
            {
                int index = Array.IndexOf(stable, match.Subscriber);
                if (index >= 0)
                {
                    Assert.True(match.MaximumQoS >= QualityOfService.AtLeastOnce);
                    Assert.Contains((uint)(index + 1), collector.GetSubscriptionIdentifiers(match).ToArray());
                    if (index < 5)
                    {
                        Assert.Contains(100u, collector.GetSubscriptionIdentifiers(match).ToArray());
                    }
                }
            }

            Assert.All(stable, subscriber => Assert.Contains(subscriber, seen));
            int fromGroup = 0;
            foreach (ref readonly SharedMatch<TestSubscriber> match in collector.SharedMatches)
            {
                if (match.ShareGroup == "g")
                {
                    fromGroup++;
                    Assert.Contains(match.Subscriber, workers);
                }
            }

            Assert.Equal(1, fromGroup);
            collector.Clear();
        }
    }
}
