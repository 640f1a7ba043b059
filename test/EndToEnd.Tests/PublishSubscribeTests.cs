using System.Globalization;
using Bifro.EndToEnd.Tests.Clients;
using Bifro.TestKit;
using Xunit;

namespace Bifro.EndToEnd.Tests;

/// <summary>PUBLISH at QoS 0, 1 and 2 in both directions, at every protocol version.</summary>
[Trait("Category", "EndToEnd")]
public sealed class PublishSubscribeTests(BrokerFixture fixture) : IClassFixture<BrokerFixture>
{
    private readonly BrokerProcess _broker = fixture.Broker;

    [Theory(Timeout = 60_000)]
    [InlineData("31", "0")]
    [InlineData("311", "1")]
    [InlineData("311", "2")]
    [InlineData("5", "0")]
    [InlineData("5", "1")]
    [InlineData("5", "2")]
    public async Task Publish_EachVersionAndQoS_ReachesSubscriber(string version, string qos)
    {
        var topic = $"e2e/{version}/{qos}";
        await using var subscriber = await Mosquitto.StartSubscriberAsync(_broker, version, "-t", topic, "-q", qos, "-v", "-C", "1");

        var published = await Mosquitto.PublishAsync(_broker, version, "-t", topic, "-m", "hello", "-q", qos);

        Assert.True(published.ExitCode == 0, published.ToString());
        Assert.Equal(0, await subscriber.WaitForExitAsync(Mosquitto.DefaultTimeout));
        Assert.Contains($"{topic} hello", Mosquitto.Messages(subscriber));
    }

    public static TheoryData<string, int, int> VersionsAndQoS()
    {
        var data = new TheoryData<string, int, int>();
        foreach (var version in new[] { "31", "311", "5" })
        {
            for (var publishQoS = 0; publishQoS <= 2; publishQoS++)
            {
                for (var subscribeQoS = 0; subscribeQoS <= 2; subscribeQoS++)
                {
                    data.Add(version, publishQoS, subscribeQoS);
                }
            }
        }

        return data;
    }

    [Theory(Timeout = 60_000)]
    [MemberData(nameof(VersionsAndQoS))]
    public async Task Publish_QoSInBothDirections_DeliveredAtTheLowerQoSWithItsHandshake(string version, int publishQoS, int subscribeQoS)
    {
        var topic = $"qos/{version}/{publishQoS}/{subscribeQoS}";
        await using var subscriber = await Mosquitto.StartSubscriberAsync(
            _broker, version, "-t", topic, "-q", subscribeQoS.ToString(CultureInfo.InvariantCulture), "-v", "-C", "1");

        var published = await ProcessAssert.SucceedsAsync(
            Mosquitto.PublishAsync(_broker, version, "-d", "-t", topic, "-m", "payload", "-q", publishQoS.ToString(CultureInfo.InvariantCulture)), _broker);
        await ProcessAssert.ExitsAsync(subscriber, _broker);

        // Client to broker: the broker completes the publisher's handshake for its QoS [MQTT-4.3.2-2, 4.3.3-2].
        var publisher = published.StandardOutput;
        Assert.Equal(publishQoS == 1, publisher.Contains("received PUBACK", StringComparison.Ordinal));
        Assert.Equal(publishQoS == 2, publisher.Contains("received PUBREC", StringComparison.Ordinal));
        Assert.Equal(publishQoS == 2, publisher.Contains("received PUBCOMP", StringComparison.Ordinal));

        // Broker to client: once, at the lower of the published and the granted QoS [MQTT-3.8.4-8], with its own handshake.
        var expectedQoS = Math.Min(publishQoS, subscribeQoS);
        var received = Assert.Single(Mosquitto.ReceivedPublishes(subscriber.Output));
        Assert.Equal(new ReceivedPublish(false, expectedQoS, false, topic), received);
        Assert.Equal([$"{topic} payload"], Mosquitto.Messages(subscriber, topic));
        Assert.Equal(expectedQoS == 1, subscriber.Output.Contains("sending PUBACK", StringComparison.Ordinal));
        Assert.Equal(expectedQoS == 2, subscriber.Output.Contains("received PUBREL", StringComparison.Ordinal));
        Assert.Equal(expectedQoS == 2, subscriber.Output.Contains("sending PUBCOMP", StringComparison.Ordinal));
    }

    [Fact(Timeout = 90_000)]
    public async Task Publish_OneSubscriberStopsReading_OthersStillGetEverything()
    {
        const string topic = "stalled/x";
        const int count = 1000;
        await using var stalled = await Mosquitto.StartSubscriberAsync(_broker, "311", "-t", topic, "-q", "1");
        await using var reader = await Mosquitto.StartSubscriberAsync(_broker, "311", "-t", topic, "-q", "1", "-C", count.ToString(CultureInfo.InvariantCulture));

        // SIGSTOP: the stalled client's socket fills up, and the broker's writes to it stop completing.
        await ProcessAssert.SucceedsAsync(ExternalProcess.RunAsync("kill", ["-STOP", stalled.ProcessId.ToString(CultureInfo.InvariantCulture)], TimeSpan.FromSeconds(10)), _broker);

        // 1000 messages of 20 KB: far more than the stalled client's socket buffers hold, within the reader's queue limit.
        var payload = new string('p', 20_000);
        await ProcessAssert.SucceedsAsync(Mosquitto.PublishLinesAsync(_broker, "311", Enumerable.Repeat(payload, count), "-t", topic, "-q", "1"), _broker);

        await ProcessAssert.ExitsAsync(reader, _broker, TimeSpan.FromSeconds(30));
        Assert.Equal(count, Mosquitto.ReceivedPublishes(reader.Output).Count);
    }

    /// <summary>
    /// mosquitto_pub -l at QoS 0 writes a burst, DISCONNECT, and closes, long before the broker has read it all: the
    /// subscriber's queue passes its high-water mark and the broker pauses reading the publisher. The packets still
    /// unread when the close arrives are handled all the same (they were dropped, and the will published, before).
    /// </summary>
    [Fact(Timeout = 90_000)]
    public async Task PublishQoS0_BurstThenClose_SubscriberGetsEveryMessageInOrder()
    {
        var topic = $"burst/{Guid.NewGuid():N}";
        const int count = 20_000;
        var payloads = Enumerable.Range(0, count).Select(i => i.ToString(CultureInfo.InvariantCulture)).ToArray();
        await using var subscriber = await Mosquitto.StartSubscriberAsync(_broker, "311", "-v", "-t", topic, "-C", count.ToString(CultureInfo.InvariantCulture));

        await ProcessAssert.SucceedsAsync(Mosquitto.PublishLinesAsync(_broker, "311", payloads, "-t", topic, "-q", "0"), _broker);

        await ProcessAssert.ExitsAsync(subscriber, _broker, TimeSpan.FromSeconds(60));
        Assert.Equal(payloads.Select(p => $"{topic} {p}"), Mosquitto.Messages(subscriber, topic));
    }
}
