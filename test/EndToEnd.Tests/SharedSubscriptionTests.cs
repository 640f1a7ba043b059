using Bifro.EndToEnd.Tests.Clients;
using Bifro.TestKit;
using Xunit;

namespace Bifro.EndToEnd.Tests;

/// <summary>Shared subscriptions ($share/{group}/{filter}) with two mosquitto_sub members.</summary>
[Trait("Category", "EndToEnd")]
public sealed class SharedSubscriptionTests(BrokerFixture fixture) : IClassFixture<BrokerFixture>
{
    private const int MessageCount = 20;

    private readonly BrokerProcess _broker = fixture.Broker;

    [Theory(Timeout = 60_000)]
    [InlineData("311")]
    [InlineData("5")]
    public async Task SharedSubscription_TwoMembers_EachMessageReachesExactlyOne(string version)
    {
        var root = $"shared/{version}";
        var end = $"shared-end/{version}";

        // Each member also subscribes (not shared) to an end topic: once both have its message, they have everything published before it.
        await using var first = await Mosquitto.StartSubscriberAsync(_broker, version, "-t", $"$share/group{version}/{root}/#", "-t", end, "-q", "1", "-v");
        await using var second = await Mosquitto.StartSubscriberAsync(_broker, version, "-t", $"$share/group{version}/{root}/#", "-t", end, "-q", "1", "-v");

        var payloads = Enumerable.Range(1, MessageCount).Select(i => $"m{i}").ToList();
        await ProcessAssert.SucceedsAsync(Mosquitto.PublishLinesAsync(_broker, version, payloads, "-t", root + "/x", "-q", "1"), _broker);
        await ProcessAssert.SucceedsAsync(Mosquitto.PublishAsync(_broker, version, "-t", end, "-m", "end", "-q", "1"), _broker);
        await first.WaitForLineAsync(end + " end", Mosquitto.DefaultTimeout);
        await second.WaitForLineAsync(end + " end", Mosquitto.DefaultTimeout);

        // [MQTT-4.8.2] Each message goes to one member of the group: together they have every message once.
        var firstGot = Mosquitto.Messages(first, root);
        var secondGot = Mosquitto.Messages(second, root);
        var all = firstGot.Concat(secondGot).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(payloads.Select(p => $"{root}/x {p}").Order(StringComparer.Ordinal), all);
        Assert.NotEmpty(firstGot);
        Assert.NotEmpty(secondGot);
    }

    [Theory(Timeout = 60_000)]
    [InlineData("311")]
    [InlineData("5")]
    public async Task SharedSubscription_MemberLeaves_RemainingMemberGetsEverything(string version)
    {
        var root = $"shared-leave/{version}";
        var filter = $"$share/leave{version}/{root}/#";
        await using var leaving = await Mosquitto.StartSubscriberAsync(_broker, version, "-t", filter, "-q", "1", "-v");
        await using var staying = await Mosquitto.StartSubscriberAsync(_broker, version, "-t", filter, "-q", "1", "-v", "-C", "4");

        // Ctrl+C: mosquitto_sub disconnects; a group member that is gone gets nothing more.
        await Mosquitto.InterruptAsync(leaving);
        await ProcessAssert.ExitsAsync(leaving, _broker);
        await ProcessAssert.SucceedsAsync(Mosquitto.PublishLinesAsync(_broker, version, ["m1", "m2", "m3", "m4"], "-t", root + "/x", "-q", "1"), _broker);

        await ProcessAssert.ExitsAsync(staying, _broker);
        Assert.Equal([$"{root}/x m1", $"{root}/x m2", $"{root}/x m3", $"{root}/x m4"], Mosquitto.Messages(staying, root));
    }
}
