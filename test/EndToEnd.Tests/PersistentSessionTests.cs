using Bifro.EndToEnd.Tests.Clients;
using Bifro.TestKit;
using Xunit;

namespace Bifro.EndToEnd.Tests;

/// <summary>
/// Persistent sessions with mosquitto_sub -c -i id (3.x clean session 0; 5.0 with -x seconds): the first
/// run subscribes and leaves (-E), messages are published while it is away, a second run collects them.
/// </summary>
[Trait("Category", "EndToEnd")]
public sealed class PersistentSessionTests(PersistentSessionBrokerFixture fixture) : IClassFixture<PersistentSessionBrokerFixture>
{
    private readonly BrokerProcess _broker = fixture.Broker;

    [Theory(Timeout = 60_000)]
    [InlineData("31")]
    [InlineData("311")]
    [InlineData("5")]
    public async Task PersistentSession_MessagesPublishedWhileAway_DeliveredOnReconnect(string version)
    {
        var topic = $"persist/away/{version}";
        var session = Persistent(version, $"persist-away-{version}");
        await SubscribeAndLeaveAsync(version, session, topic);

        await ProcessAssert.SucceedsAsync(Mosquitto.PublishLinesAsync(_broker, version, ["away-1", "away-2"], "-t", topic, "-q", "1"), _broker);

        // [MQTT-3.1.2-4/5] The session kept the subscription and queued its QoS 1 messages, in order; they
        // follow CONNACK, so the client may have them before its SUBACK.
        var subscriber = await ProcessAssert.SucceedsAsync(
            Mosquitto.SubscribeAsync(_broker, version, [.. session, "-t", topic, "-q", "1", "-v", "-C", "2", "-W", "15"]), _broker);
        Assert.Equal([topic + " away-1", topic + " away-2"], Mosquitto.Messages(subscriber.StandardOutput, topic));
    }

    [Theory(Timeout = 60_000)]
    [InlineData("311")]
    [InlineData("5")]
    public async Task PersistentSession_OfflineQueueFull_KeepsTheNewest(string version)
    {
        var topic = $"persist/bounded/{version}";
        var session = Persistent(version, $"persist-bounded-{version}");
        await SubscribeAndLeaveAsync(version, session, topic);

        var published = Enumerable.Range(1, 2 * PersistentSessionBrokerFixture.MaxOfflineMessages).Select(i => $"m{i}").ToList();
        await ProcessAssert.SucceedsAsync(Mosquitto.PublishLinesAsync(_broker, version, published, "-t", topic, "-q", "1"), _broker);

        // Bifro:Mqtt:MaxOfflineMessages=5: the oldest give way. "end", published after the reconnect, comes after what was kept.
        var kept = published.Skip(PersistentSessionBrokerFixture.MaxOfflineMessages).ToList();
        await using var subscriber = await Mosquitto.StartSubscriberAsync(_broker, version, [.. session, "-t", topic, "-q", "1", "-v"]);
        await ProcessAssert.SucceedsAsync(Mosquitto.PublishAsync(_broker, version, "-t", topic, "-m", "end", "-q", "1"), _broker);

        await subscriber.WaitForLineAsync(topic + " end", Mosquitto.DefaultTimeout);
        Assert.Equal([.. kept.Select(m => $"{topic} {m}"), topic + " end"], Mosquitto.Messages(subscriber, topic));
    }

    [Fact(Timeout = 60_000)]
    public async Task PersistentSession_ExpiryIntervalPassed_SessionAndQueueGone()
    {
        const string id = "persist-expiry-5";
        const string topic = "persist/expiry/5";
        await SubscribeAndLeaveAsync("5", ["-c", "-x", "2", "-i", id], topic);
        await ProcessAssert.SucceedsAsync(Mosquitto.PublishAsync(_broker, "5", "-t", topic, "-m", "stale", "-q", "1"), _broker);

        // [MQTT-3.1.2-23] The session ends 2 seconds after the connection closed.
        await _broker.Process.WaitForLineAsync($"Session default/{id} expired", TimeSpan.FromSeconds(15));

        var (client, connAck) = await RawMqttClient.ConnectAsync(_broker, RawMqtt.Connect(5, id, cleanStart: false, sessionExpiry: 300));
        await using (client)
        {
            Assert.False(connAck.SessionPresent, "the session expired");
            await client.SendAsync(RawMqtt.NormalDisconnect);
            Assert.Empty(await client.ReadUntilClosedAsync(TimeSpan.FromSeconds(10)));
        }

        // Nothing was kept for it: the first message is one published now.
        await using var subscriber = await Mosquitto.StartSubscriberAsync(_broker, "5", "-c", "-x", "300", "-i", id, "-t", topic, "-q", "1", "-v");
        await ProcessAssert.SucceedsAsync(Mosquitto.PublishAsync(_broker, "5", "-t", topic, "-m", "fresh", "-q", "1"), _broker);
        await subscriber.WaitForLineAsync(topic + " fresh", Mosquitto.DefaultTimeout);
        Assert.Equal([topic + " fresh"], Mosquitto.Messages(subscriber, topic));
    }

    [Theory(Timeout = 60_000)]
    [InlineData(4)]
    [InlineData(5)]
    public async Task PersistentSession_UnacknowledgedMessage_ResentWithDupAndSamePacketId(int level)
    {
        // mosquitto_sub always acknowledges, so the raw client plays the forgetful subscriber.
        var id = $"persist-redeliver-{level}";
        var topic = $"persist/redeliver/{level}";
        uint? expiry = level == 5 ? 300u : null;
        var connect = RawMqtt.Connect(level, id, cleanStart: false, sessionExpiry: expiry);
        ushort packetId;
        var (first, _) = await RawMqttClient.ConnectAsync(_broker, connect);
        await using (first)
        {
            await first.SendAsync(RawMqtt.Subscribe(level, 1, topic, 1));
            Assert.Equal(RawMqtt.SubAck, (await first.ReadAsync(TimeSpan.FromSeconds(10)))?.Type);
            await ProcessAssert.SucceedsAsync(Mosquitto.PublishAsync(_broker, "311", "-t", topic, "-m", "unacknowledged", "-q", "1"), _broker);

            var publish = await first.ReadAsync(TimeSpan.FromSeconds(10)) ?? throw new InvalidOperationException("closed");
            Assert.Equal((RawMqtt.Publish, 1, false), (publish.Type, publish.QoS, publish.Dup));
            packetId = publish.TopicAndPacketId.PacketId;

            // Leaves without PUBACK.
            await first.SendAsync(RawMqtt.NormalDisconnect);
            await first.ReadUntilClosedAsync(TimeSpan.FromSeconds(10));
        }

        var (second, connAck) = await RawMqttClient.ConnectAsync(_broker, connect);
        await using (second)
        {
            Assert.True(connAck.SessionPresent);

            // [MQTT-4.4.0-1] Resent on the resumed session with DUP set [MQTT-3.3.1-1] and the same packet identifier.
            var resent = await second.ReadAsync(TimeSpan.FromSeconds(10)) ?? throw new InvalidOperationException("closed");
            Assert.Equal((RawMqtt.Publish, 1, true), (resent.Type, resent.QoS, resent.Dup));
            Assert.Equal((topic, packetId), resent.TopicAndPacketId);
            await second.SendAsync(RawMqtt.PubAckPacket(packetId));
            await second.SendAsync(RawMqtt.NormalDisconnect);
            await second.ReadUntilClosedAsync(TimeSpan.FromSeconds(10));
        }
    }

    /// <summary>Expected to fail until grain state is stored in SQLite: the host keeps it in memory for now.</summary>
    [Theory(Timeout = 90_000)]
    [InlineData("311")]
    [InlineData("5")]
    public async Task PersistentSession_BrokerRestarted_QueuedMessagesDelivered(string version)
    {
        var topic = $"persist/restart/{version}";
        var session = Persistent(version, $"persist-restart-{version}");
        await SubscribeAndLeaveAsync(version, session, topic);
        await ProcessAssert.SucceedsAsync(Mosquitto.PublishAsync(_broker, version, "-t", topic, "-m", "before-restart", "-q", "1"), _broker);

        await _broker.RestartAsync();

        var subscriber = await Mosquitto.SubscribeAsync(_broker, version, [.. session, "-t", topic, "-q", "1", "-v", "-C", "1", "-W", "10"]);
        Assert.True(subscriber.ExitCode == 0, "The queued message did not come after the restart.\n" + subscriber + "\n--- broker\n" + _broker.Output);
        Assert.Equal([topic + " before-restart"], Mosquitto.Messages(subscriber.StandardOutput, topic));
    }

    /// <summary>Expected to fail until grain state is stored in SQLite: the host keeps it in memory for now.</summary>
    [Theory(Timeout = 90_000)]
    [InlineData(4)]
    [InlineData(5)]
    public async Task PersistentSession_BrokerRestarted_SessionPresent(int level)
    {
        var id = $"persist-restart-present-{level}";
        uint? expiry = level == 5 ? 300u : null;
        var (client, _) = await RawMqttClient.ConnectAsync(_broker, RawMqtt.Connect(level, id, cleanStart: false, sessionExpiry: expiry));
        await using (client)
        {
            await client.SendAsync(RawMqtt.NormalDisconnect);
            Assert.Empty(await client.ReadUntilClosedAsync(TimeSpan.FromSeconds(10)));
        }

        await _broker.RestartAsync();

        var (resumed, connAck) = await RawMqttClient.ConnectAsync(_broker, RawMqtt.Connect(level, id, cleanStart: false, sessionExpiry: expiry));
        await using (resumed)
        {
            Assert.True(connAck.SessionPresent, "the session was stored before the restart");
        }
    }

    /// <summary>mosquitto_sub options for a persistent session: 3.x clean session 0; 5.0 also a session expiry of 300 s.</summary>
    private static string[] Persistent(string version, string clientId) =>
        version == "5" ? ["-c", "-x", "300", "-i", clientId] : ["-c", "-i", clientId];

    /// <summary>Subscribes at QoS 1 in a persistent session and disconnects at once (-E).</summary>
    private Task SubscribeAndLeaveAsync(string version, string[] session, string topic) =>
        ProcessAssert.SucceedsAsync(Mosquitto.SubscribeAsync(_broker, version, [.. session, "-t", topic, "-q", "1", "-E"]), _broker);
}
