using Bifro.EndToEnd.Tests.Clients;
using Bifro.TestKit;
using Xunit;

namespace Bifro.EndToEnd.Tests;

/// <summary>
/// SUBSCRIBE and UNSUBSCRIBE: wildcards, $-topics, overlapping subscriptions. Messages that must not
/// arrive are published before one that must: a subscriber that exits after its first messages (-C)
/// shows the unwanted one if it came.
/// </summary>
[Trait("Category", "EndToEnd")]
public sealed class SubscriptionTests(BrokerFixture fixture) : IClassFixture<BrokerFixture>
{
    private readonly BrokerProcess _broker = fixture.Broker;

    [Theory(Timeout = 60_000)]
    [InlineData("31")]
    [InlineData("311")]
    [InlineData("5")]
    public async Task Subscribe_SingleLevelWildcard_MatchesExactlyOneLevel(string version)
    {
        var root = $"plus/{version}";
        await using var subscriber = await Mosquitto.StartSubscriberAsync(_broker, version, "-t", root + "/+/x", "-q", "1", "-v", "-C", "2");

        // [MQTT-4.7.1-2] "+" stands for one whole level, empty included.
        await PublishAllAsync(version, root + "/a/b/x", root + "/x", root + "/ax", root + "/a/x", root + "//x");

        await ProcessAssert.ExitsAsync(subscriber, _broker);
        Assert.Equal([root + "/a/x m", root + "//x m"], Mosquitto.Messages(subscriber, root));
    }

    [Theory(Timeout = 60_000)]
    [InlineData("31")]
    [InlineData("311")]
    [InlineData("5")]
    public async Task Subscribe_MultiLevelWildcard_MatchesParentAndEveryLevelBelow(string version)
    {
        var root = $"hash/{version}";
        await using var subscriber = await Mosquitto.StartSubscriberAsync(_broker, version, "-t", root + "/m/#", "-q", "1", "-v", "-C", "3");

        // [MQTT-4.7.1-2] "m/#" also matches "m" itself.
        await PublishAllAsync(version, root + "/mm/x", root + "/n/m", root + "/m", root + "/m/a", root + "/m/a/b");

        await ProcessAssert.ExitsAsync(subscriber, _broker);
        Assert.Equal([root + "/m m", root + "/m/a m", root + "/m/a/b m"], Mosquitto.Messages(subscriber, root));
    }

    [Theory(Timeout = 60_000)]
    [InlineData("311")]
    [InlineData("5")]
    public async Task Subscribe_WildcardInFirstLevel_DoesNotMatchDollarTopics(string version)
    {
        var dollarTopic = $"$SYS/e2e-{version}/x";
        var plain = $"plain{version}/x";
        await using var wildcard = await Mosquitto.StartSubscriberAsync(_broker, version, "-t", "#", "-t", "+/x", "-t", $"+/e2e-{version}/x", "-q", "1", "-v", "-C", "1");
        await using var dollar = await Mosquitto.StartSubscriberAsync(_broker, version, "-t", "$SYS/#", "-q", "1", "-v");

        // [MQTT-4.7.2-1] Filters starting with a wildcard do not match topics starting with "$"; "$SYS/#" does.
        await PublishAllAsync(version, dollarTopic, plain);

        await ProcessAssert.ExitsAsync(wildcard, _broker);
        Assert.Equal([plain + " m"], Mosquitto.Messages(wildcard, plain).Concat(Mosquitto.Messages(wildcard, "$")));
        await dollar.WaitForLineAsync(dollarTopic + " m", Mosquitto.DefaultTimeout);
    }

    [Theory(Timeout = 60_000)]
    [InlineData("311")]
    [InlineData("5")]
    public async Task Subscribe_OverlappingFilters_OneCopy(string version)
    {
        var root = $"overlap/{version}";
        await using var subscriber = await Mosquitto.StartSubscriberAsync(
            _broker, version, "-t", root + "/#", "-t", root + "/+", "-q", "1", "-v", "-C", "2");

        // [MQTT-3.3.5-1] One copy for "a" although both filters match; "x/end" matches only "#" and comes next.
        await PublishAllAsync(version, root + "/a", root + "/x/end");

        await ProcessAssert.ExitsAsync(subscriber, _broker);
        Assert.Equal([root + "/a m", root + "/x/end m"], Mosquitto.Messages(subscriber, root));
    }

    [Theory(Timeout = 60_000)]
    [InlineData("311")]
    [InlineData("5")]
    public async Task Subscribe_OverlappingFiltersWithDifferentQoS_OneCopyAtTheHighest(string version)
    {
        // mosquitto_sub asks one QoS for all its filters: a persistent session collects "+" at QoS 2 on a
        // first connection and "#" at QoS 0 on the second.
        var root = $"overlap-qos/{version}";
        var id = $"overlap-qos-{version}";
        string[] persistent = version == "5" ? ["-c", "-x", "300", "-i", id] : ["-c", "-i", id];
        await ProcessAssert.SucceedsAsync(Mosquitto.SubscribeAsync(_broker, version, [.. persistent, "-t", root + "/+", "-q", "2", "-E"]), _broker);
        await using var subscriber = await Mosquitto.StartSubscriberAsync(_broker, version, [.. persistent, "-t", root + "/#", "-q", "0", "-v", "-C", "2"]);

        await PublishAllAsync(version, 2, root + "/a", root + "/x/end");

        // [MQTT-3.3.5-1] The matching subscriptions' highest QoS.
        await ProcessAssert.ExitsAsync(subscriber, _broker);
        Assert.Equal([root + "/a m", root + "/x/end m"], Mosquitto.Messages(subscriber, root));
        Assert.Equal(
            [new ReceivedPublish(false, 2, false, root + "/a"), new ReceivedPublish(false, 0, false, root + "/x/end")],
            Mosquitto.ReceivedPublishes(subscriber.Output));
    }

    [Theory(Timeout = 60_000)]
    [InlineData("31")]
    [InlineData("311")]
    [InlineData("5")]
    public async Task Unsubscribe_Filter_StopsDelivery(string version)
    {
        var root = $"unsub/{version}";
        await using var subscriber = await Mosquitto.StartSubscriberAsync(
            _broker, version, "-t", root + "/a", "-t", root + "/b", "-U", root + "/a", "-q", "1", "-v", "-C", "1");
        await subscriber.WaitForLineAsync("received UNSUBACK", Mosquitto.DefaultTimeout);

        // [MQTT-3.10.4-1] After UNSUBACK nothing more for "a"; "b" is still subscribed.
        await PublishAllAsync(version, root + "/a", root + "/b");

        await ProcessAssert.ExitsAsync(subscriber, _broker);
        Assert.Equal([root + "/b m"], Mosquitto.Messages(subscriber, root));
    }

    [Theory(Timeout = 60_000)]
    [InlineData("311")]
    [InlineData("5")]
    public async Task Unsubscribe_PersistentSession_NothingQueuedForTheFilter(string version)
    {
        var root = $"unsub-persistent/{version}";
        var id = $"unsub-persistent-{version}";
        string[] session = version == "5" ? ["-c", "-x", "300", "-i", id] : ["-c", "-i", id];
        await ProcessAssert.SucceedsAsync(Mosquitto.SubscribeAsync(_broker, version, [.. session, "-t", root + "/a", "-t", root + "/b", "-q", "1", "-E"]), _broker);
        await ProcessAssert.SucceedsAsync(Mosquitto.SubscribeAsync(_broker, version, [.. session, "-t", root + "/b", "-U", root + "/a", "-q", "1", "-E"]), _broker);

        // The session no longer has "a": only "b" is queued while the client is away.
        await PublishAllAsync(version, root + "/a", root + "/b");

        var subscriber = await ProcessAssert.SucceedsAsync(
            Mosquitto.SubscribeAsync(_broker, version, [.. session, "-t", root + "/b", "-q", "1", "-v", "-C", "1", "-W", "15"]), _broker);
        Assert.Equal([root + "/b m"], Mosquitto.Messages(subscriber.StandardOutput, root));
    }

    /// <summary>Publishes "m" at QoS 1 to each topic in turn; each acknowledgement comes after the broker routed it, so they arrive in this order.</summary>
    private Task PublishAllAsync(string version, params string[] topics) => PublishAllAsync(version, 1, topics);

    private async Task PublishAllAsync(string version, int qos, params string[] topics)
    {
        foreach (var topic in topics)
        {
            await ProcessAssert.SucceedsAsync(
                Mosquitto.PublishAsync(_broker, version, "-t", topic, "-m", "m", "-q", qos.ToString(System.Globalization.CultureInfo.InvariantCulture)), _broker);
        }
    }
}
