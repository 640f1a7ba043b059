using Bifro.EndToEnd.Tests.Clients;
using Bifro.TestKit;
using Xunit;

namespace Bifro.EndToEnd.Tests;

/// <summary>Will messages: mosquitto_sub clients with --will-* options, killed (-9) or interrupted (Ctrl+C sends DISCONNECT).</summary>
[Trait("Category", "EndToEnd")]
public sealed class WillTests(BrokerFixture fixture) : IClassFixture<BrokerFixture>
{
    private readonly BrokerProcess _broker = fixture.Broker;

    [Theory(Timeout = 60_000)]
    [InlineData("31")]
    [InlineData("311")]
    [InlineData("5")]
    public async Task Will_ClientKilled_Published(string version)
    {
        var root = $"will/killed/{version}";
        await using var watcher = await Mosquitto.StartSubscriberAsync(_broker, version, "-t", root + "/#", "-q", "1", "-v", "-C", "1");
        await using var client = await StartWillClientAsync(version, $"will-killed-{version}", root + "/gone", "--will-qos", "1");

        // [MQTT-3.1.2-8] The network connection closed without DISCONNECT: the will is published.
        client.Kill();

        await ProcessAssert.ExitsAsync(watcher, _broker);
        Assert.Equal([root + "/gone offline"], Mosquitto.Messages(watcher, root));
        Assert.Equal([new ReceivedPublish(false, 1, false, root + "/gone")], Mosquitto.ReceivedPublishes(watcher.Output));
    }

    [Theory(Timeout = 60_000)]
    [InlineData("31")]
    [InlineData("311")]
    [InlineData("5")]
    public async Task Will_NormalDisconnect_NotPublished(string version)
    {
        var root = $"will/normal/{version}";
        await using var watcher = await Mosquitto.StartSubscriberAsync(_broker, version, "-t", root + "/#", "-q", "1", "-v", "-C", "1");

        // [MQTT-3.14.4-3] DISCONNECT (5.0: reason 0x00) discards the will: -E makes mosquitto_sub send it once subscribed.
        await using var polite = await StartWillClientAsync(version, $"will-normal-{version}", root + "/polite", "-E");
        await ProcessAssert.ExitsAsync(polite, _broker);
        Assert.Contains(polite.Lines, line => line.EndsWith("sending DISCONNECT", StringComparison.Ordinal));

        // Had the polite client's will been published, it would have come before this one.
        await using var killed = await StartWillClientAsync(version, $"will-normal-killed-{version}", root + "/killed");
        killed.Kill();

        await ProcessAssert.ExitsAsync(watcher, _broker);
        Assert.Equal([root + "/killed offline"], Mosquitto.Messages(watcher, root));
    }

    [Fact(Timeout = 60_000)]
    public async Task Will_Disconnect5WithWillMessage_Published()
    {
        const string root = "will/disconnect-with-will/5";
        await using var watcher = await Mosquitto.StartSubscriberAsync(_broker, "5", "-t", root + "/#", "-q", "1", "-v", "-C", "1");
        await using var client = await StartWillClientAsync("5", "will-disconnect-with-will-5", root + "/gone");

        // On Ctrl+C mosquitto_sub 2.0 sends DISCONNECT 0x04 (Disconnect with Will Message) [MQTT-3.14.4-3]; Mosquitto 2.0.11 publishes the will too.
        await Mosquitto.InterruptAsync(client);
        await ProcessAssert.ExitsAsync(client, _broker);
        Assert.Contains(client.Lines, line => line.EndsWith("sending DISCONNECT", StringComparison.Ordinal));

        await ProcessAssert.ExitsAsync(watcher, _broker);
        Assert.Equal([root + "/gone offline"], Mosquitto.Messages(watcher, root));
    }

    [Theory(Timeout = 60_000)]
    [InlineData("311")]
    [InlineData("5")]
    public async Task Will_QoS2AndRetain_HonouredForLiveAndLaterSubscribers(string version)
    {
        var root = $"will/retained/{version}";
        await using var watcher = await Mosquitto.StartSubscriberAsync(_broker, version, "-t", root + "/#", "-q", "2", "-v", "-C", "1");
        await using var client = await StartWillClientAsync(version, $"will-retained-{version}", root + "/gone", "--will-qos", "2", "--will-retain");

        client.Kill();

        // Live: at the will's QoS 2 (RETAIN 0 on an established subscription, [MQTT-3.3.1-9]).
        await ProcessAssert.ExitsAsync(watcher, _broker);
        Assert.Equal([new ReceivedPublish(false, 2, false, root + "/gone")], Mosquitto.ReceivedPublishes(watcher.Output));

        // [MQTT-3.1.2-17] Will Retain 1: stored as a retained message, so a later subscriber gets it, retained.
        var later = await ProcessAssert.SucceedsAsync(
            Mosquitto.SubscribeAsync(_broker, version, "-d", "-t", root + "/#", "-q", "2", "-v", "-C", "1", "-W", "15"), _broker);
        Assert.Equal([root + "/gone offline"], Mosquitto.Messages(later.StandardOutput, root));
        Assert.Equal([new ReceivedPublish(false, 2, true, root + "/gone")], Mosquitto.ReceivedPublishes(later.StandardOutput));

        await ProcessAssert.SucceedsAsync(Mosquitto.PublishAsync(_broker, version, "-t", root + "/gone", "-r", "-n"), _broker);
    }

    [Theory(Timeout = 60_000)]
    [InlineData(4)]
    [InlineData(5)]
    public async Task Will_ServerClosesForProtocolError_Published(int level)
    {
        var root = $"will/protocol-error/{level}";
        await using var watcher = await Mosquitto.StartSubscriberAsync(_broker, "5", "-t", root + "/#", "-v", "-C", "1");
        var (client, _) = await RawMqttClient.ConnectAsync(_broker, RawMqtt.Connect(level, $"will-protocol-error-{level}", willTopic: root + "/gone", willPayload: "offline"));
        await using (client)
        {
            // A QoS 1 PUBLISH with packet identifier 0 [MQTT-2.2.1-3].
            await client.SendAsync(RawMqtt.PublishPacket(level, root + "/bad", qos: 1, packetId: 0));
            await client.ReadUntilClosedAsync(TimeSpan.FromSeconds(10));
        }

        // [MQTT-3.1.2-8] The server closed the connection because of a protocol error: the will is published.
        await ProcessAssert.ExitsAsync(watcher, _broker);
        Assert.Equal([root + "/gone offline"], Mosquitto.Messages(watcher, root));
    }

    [Theory(Timeout = 60_000)]
    [InlineData(4)]
    [InlineData(5)]
    public async Task Will_KeepAliveExpired_Published(int level)
    {
        var root = $"will/keepalive/{level}";
        await using var watcher = await Mosquitto.StartSubscriberAsync(_broker, "5", "-t", root + "/#", "-v", "-C", "1");
        var (client, _) = await RawMqttClient.ConnectAsync(
            _broker, RawMqtt.Connect(level, $"will-keepalive-{level}", keepAlive: 1, willTopic: root + "/gone", willPayload: "offline"));
        await using (client)
        {
            await client.ReadUntilClosedAsync(TimeSpan.FromSeconds(10));
        }

        // [MQTT-3.1.2-8] The client failed to communicate within the keep alive time: the will is published.
        await ProcessAssert.ExitsAsync(watcher, _broker);
        Assert.Equal([root + "/gone offline"], Mosquitto.Messages(watcher, root));
    }

    [Fact(Timeout = 60_000)]
    public async Task Will_SessionTakenOver_Published()
    {
        const string root = "will/takeover/5";
        const string id = "will-takeover-5";
        await using var watcher = await Mosquitto.StartSubscriberAsync(_broker, "5", "-t", root + "/#", "-v", "-C", "1");
        await using var older = await StartWillClientAsync("5", id, root + "/gone");

        await using var newer = await Mosquitto.StartSubscriberAsync(_broker, "5", "-i", id, "-t", $"will/unused/{id}");

        // [MQTT-3.1.4-3] The older connection is closed and, having a will (without delay), it is published.
        await older.WaitForLineAsync("Received DISCONNECT (142)", Mosquitto.DefaultTimeout);
        await ProcessAssert.ExitsAsync(watcher, _broker);
        Assert.Equal([root + "/gone offline"], Mosquitto.Messages(watcher, root));
    }

    /// <summary>A connected mosquitto_sub with a will "offline" on <paramref name="willTopic"/>.</summary>
    private Task<RunningProcess> StartWillClientAsync(string version, string clientId, string willTopic, params string[] willOptions) =>
        Mosquitto.StartSubscriberAsync(
            _broker, version, ["-i", clientId, "-t", $"will/unused/{clientId}", "--will-topic", willTopic, "--will-payload", "offline", .. willOptions]);
}
