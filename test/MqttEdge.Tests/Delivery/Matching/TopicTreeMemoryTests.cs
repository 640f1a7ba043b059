using Bifro.MqttEdge.Codec;
using Bifro.MqttEdge.Delivery.Matching;
using Xunit;
using Xunit.Abstractions;

namespace Bifro.MqttEdge.Tests.Delivery.Matching;

[Collection(nameof(MemoryCollection))]
public sealed class TopicTreeMemoryTests(ITestOutputHelper output)
{
    private const int Subscriptions = 100_000;

    [Fact]
    public void Add_NewSubscribersOnExistingNode_UnderTwoHundredBytesEach()
    {
        var tree = new TopicTree<TestSubscriber>();
        TestSubscriber[] subscribers = [.. Enumerable.Range(0, Subscriptions).Select(i => new TestSubscriber($"s{i}"))];
        var options = new RouteOptions(QualityOfService.AtLeastOnce, subscriptionIdentifier: 1);
        tree.Add(new TestSubscriber("first"), "fan/out", options);

        long before = GC.GetTotalMemory(forceFullCollection: true);
        foreach (TestSubscriber subscriber in subscribers)
        {
            tree.Add(subscriber, "fan/out", options);
        }

        long after = GC.GetTotalMemory(forceFullCollection: true);
        double perSubscription = (after - before) / (double)Subscriptions;
        output.WriteLine($"new subscriber on an existing node: {perSubscription:F1} bytes per subscription");

        Assert.True(perSubscription < 200, $"{perSubscription:F1} bytes per subscription");
        GC.KeepAlive(tree);
    }

    [Fact]
    public void Add_KnownSubscribersOnExistingNode_UnderTwoHundredBytesEach()
    {
        var tree = new TopicTree<TestSubscriber>();
        TestSubscriber[] subscribers = [.. Enumerable.Range(0, Subscriptions).Select(i => new TestSubscriber($"s{i}"))];
        var options = new RouteOptions(QualityOfService.AtLeastOnce, subscriptionIdentifier: 1);
        foreach (TestSubscriber subscriber in subscribers)
        {
            tree.Add(subscriber, "own/filter", options);
        }

        tree.Add(new TestSubscriber("first"), "fan/out", options);

        long before = GC.GetTotalMemory(forceFullCollection: true);
        foreach (TestSubscriber subscriber in subscribers)
        {
            tree.Add(subscriber, "fan/out", options);
        }

        long after = GC.GetTotalMemory(forceFullCollection: true);
        double perSubscription = (after - before) / (double)Subscriptions;
        output.WriteLine($"known subscriber on an existing node: {perSubscription:F1} bytes per subscription");

        Assert.True(perSubscription < 200, $"{perSubscription:F1} bytes per subscription");
        GC.KeepAlive(tree);
    }

    [Fact]
    public void Add_UniqueFilterPerSubscriber_ReportsBytesPerSubscription()
    {
        // Not budgeted (each subscription brings its own nodes); measured for the record.
        var tree = new TopicTree<TestSubscriber>();
        TestSubscriber[] subscribers = [.. Enumerable.Range(0, Subscriptions).Select(i => new TestSubscriber($"s{i}"))];
        string[] filters = [.. Enumerable.Range(0, Subscriptions).Select(i => $"devices/{i}/cmd")];
        var options = new RouteOptions(QualityOfService.AtLeastOnce);

        long before = GC.GetTotalMemory(forceFullCollection: true);
        for (int i = 0; i < Subscriptions; i++)
        {
            tree.Add(subscribers[i], filters[i], options);
        }

        long after = GC.GetTotalMemory(forceFullCollection: true);
        double perSubscription = (after - before) / (double)Subscriptions;
        output.WriteLine($"unique filter per subscriber (two new nodes each): {perSubscription:F1} bytes per subscription");

        Assert.Equal(1 + (2 * Subscriptions), tree.NodeCount);
        GC.KeepAlive(tree);
    }
}
