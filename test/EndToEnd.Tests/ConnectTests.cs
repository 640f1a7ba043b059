using Bifro.EndToEnd.Tests.Clients;
using Bifro.TestKit;
using Xunit;

namespace Bifro.EndToEnd.Tests;

/// <summary>CONNECT and CONNACK: protocol versions, client identifiers, clean session and session present, keep alive, takeover.</summary>
[Trait("Category", "EndToEnd")]
public sealed class ConnectTests(BrokerFixture fixture) : IClassFixture<BrokerFixture>
{
    private static readonly TimeSpan ReadTimeout = TimeSpan.FromSeconds(10);

    private readonly BrokerProcess _broker = fixture.Broker;

    [Fact(Timeout = 30_000)]
    public async Task Connect_Mqtt31ProtocolNameMQIsdp_Accepted()
    {
        var (client, connAck) = await RawMqttClient.ConnectAsync(_broker, RawMqtt.Connect(3, "connect-31-raw"));
        await using var _ = client;

        Assert.Equal(0x00, connAck.ReasonCode);
    }

    [Theory(Timeout = 60_000)]
    [InlineData(4)]
    [InlineData(5)]
    public async Task Connect_CleanSessionAndSessionPresent_FollowTheSession(int level)
    {
        // [MQTT-3.2.2-1..3] Session present is 1 only when a clean-session-0 CONNECT resumes a stored session.
        var id = $"connect-present-{level}";
        uint? persistent = level == 5 ? 300u : null;
        uint? transient = level == 5 ? 0u : null;

        Assert.False(await ConnectAndDisconnectAsync(id, cleanStart: false, persistent), "no session existed yet");
        Assert.True(await ConnectAndDisconnectAsync(id, cleanStart: false, persistent), "the persistent session was stored");
        Assert.False(await ConnectAndDisconnectAsync(id, cleanStart: true, transient), "clean session/start discards the stored session");
        Assert.False(await ConnectAndDisconnectAsync(id, cleanStart: false, persistent), "the clean session ended with its connection");
    }

    [Theory(Timeout = 60_000)]
    [InlineData("311")]
    [InlineData("5")]
    public async Task Connect_CleanSessionAfterPersistentSession_DiscardsItsSubscriptions(string version)
    {
        var id = $"connect-clean-{version}";
        var topic = $"connect/clean/{version}";
        string[] persistent = version == "5" ? ["-c", "-x", "300"] : ["-c"];
        await ProcessAssert.SucceedsAsync(Mosquitto.SubscribeAsync(_broker, version, [.. persistent, "-i", id, "-q", "1", "-t", topic + "/kept", "-E"]), _broker);
        await ProcessAssert.SucceedsAsync(Mosquitto.SubscribeAsync(_broker, version, "-i", id, "-t", topic + "/other", "-E"), _broker);
        await ProcessAssert.SucceedsAsync(Mosquitto.PublishAsync(_broker, version, "-t", topic + "/kept", "-m", "lost", "-q", "1"), _broker);

        // Resumed again: the message above would come first had the persistent session survived the clean one.
        await using var subscriber = await Mosquitto.StartSubscriberAsync(_broker, version, [.. persistent, "-i", id, "-q", "1", "-t", topic + "/marker", "-v"]);
        await ProcessAssert.SucceedsAsync(Mosquitto.PublishAsync(_broker, version, "-t", topic + "/marker", "-m", "marker", "-q", "1"), _broker);

        await subscriber.WaitForLineAsync(topic + "/marker marker", Mosquitto.DefaultTimeout);
        Assert.Equal([topic + "/marker marker"], Mosquitto.Messages(subscriber, topic));
    }

    [Fact(Timeout = 30_000)]
    public async Task Connect_EmptyClientIdWithCleanSession311_Accepted()
    {
        var (client, connAck) = await RawMqttClient.ConnectAsync(_broker, RawMqtt.Connect(4, "", cleanStart: true));
        await using var _ = client;

        Assert.Equal(0x00, connAck.ReasonCode);
    }

    [Theory(Timeout = 30_000)]
    [InlineData(4, false)]
    [InlineData(3, true)]
    [InlineData(3, false)]
    public async Task Connect_EmptyClientIdNotAllowed_RefusedWithIdentifierRejected(int level, bool cleanSession)
    {
        // [MQTT-3.1.3-8] 3.1.1: an empty id with clean session 0 gets return code 0x02; 3.1 needs 1 to 23 characters.
        await using var client = await RawMqttClient.ConnectAsync(_broker);
        await client.SendAsync(RawMqtt.Connect(level, "", cleanStart: cleanSession));

        var packets = await client.ReadUntilClosedAsync(ReadTimeout);

        var connAck = Assert.Single(packets);
        Assert.Equal(RawMqtt.ConnAck, connAck.Type);
        Assert.Equal(0x02, connAck.ReasonCode);
        Assert.False(connAck.SessionPresent);
    }

    [Fact(Timeout = 30_000)]
    public async Task Connect_EmptyClientId5_ServerAssignsOne()
    {
        // mosquitto_sub -V mqttv5 without -i sends an empty id and adopts the Assigned Client Identifier.
        var topic = "connect/assigned";
        await using var subscriber = await Mosquitto.StartSubscriberAsync(_broker, "5", "-t", topic, "-v", "-C", "1");
        await ProcessAssert.SucceedsAsync(Mosquitto.PublishAsync(_broker, "5", "-t", topic, "-m", "hi"), _broker);
        await ProcessAssert.ExitsAsync(subscriber, _broker);

        Assert.Contains("Client (null) sending CONNECT", subscriber.Lines);
        var connAck = Assert.Single(subscriber.Lines, line => line.EndsWith("received CONNACK (0)", StringComparison.Ordinal));
        var assigned = connAck["Client ".Length..connAck.IndexOf(" received", StringComparison.Ordinal)];
        Assert.NotEqual("(null)", assigned);
        Assert.NotEmpty(assigned.Trim());
        Assert.Equal([topic + " hi"], Mosquitto.Messages(subscriber, topic));
    }

    [Theory(Timeout = 30_000)]
    [InlineData(2)]
    [InlineData(6)]
    public async Task Connect_UnsupportedProtocolLevel_RefusedWithUnacceptableProtocolVersion(int level)
    {
        // [MQTT-3.1.2-2] CONNACK return code 0x01 (in the 3.1.1 format), then the connection is closed.
        await using var client = await RawMqttClient.ConnectAsync(_broker);
        await client.SendAsync(RawMqtt.Connect(level, $"connect-level-{level}"));

        var packets = await client.ReadUntilClosedAsync(ReadTimeout);

        var connAck = Assert.Single(packets);
        Assert.Equal(RawMqtt.ConnAck, connAck.Type);
        Assert.Equal(2, connAck.Body.Length);
        Assert.Equal(0x01, connAck.ReasonCode);
    }

    [Theory(Timeout = 30_000)]
    [InlineData(4)]
    [InlineData(5)]
    public async Task KeepAlive_ClientGoesSilent_ClosedAfterOneAndAHalfKeepAlive(int level)
    {
        var (client, connAck) = await RawMqttClient.ConnectAsync(_broker, RawMqtt.Connect(level, $"keepalive-silent-{level}", keepAlive: 1));
        await using var _ = client;
        Assert.Equal(0x00, connAck.ReasonCode);

        var packets = await client.ReadUntilClosedAsync(ReadTimeout);

        // [MQTT-3.1.2-24] Closed once 1.5 s pass without a packet: not before, and soon after.
        Assert.InRange(client.Elapsed, TimeSpan.FromSeconds(1.4), TimeSpan.FromSeconds(6));
        if (level == 5)
        {
            // 5.0 may say why: DISCONNECT 0x8D (Keep Alive timeout).
            var disconnect = Assert.Single(packets);
            Assert.Equal(RawMqtt.Disconnect, disconnect.Type);
            Assert.Equal(0x8D, disconnect.ReasonCode);
        }
        else
        {
            Assert.Empty(packets);
        }
    }

    [Fact(Timeout = 30_000)]
    public async Task KeepAlive_ClientPingsWithinKeepAlive_StaysConnected()
    {
        var (client, _) = await RawMqttClient.ConnectAsync(_broker, RawMqtt.Connect(4, "keepalive-pinging", keepAlive: 2));
        await using var __ = client;

        // 4.5 s is half as long again as the 3 s limit; a PINGREQ every 0.5 s keeps the connection alive [MQTT-3.1.2-23].
        while (client.Elapsed < TimeSpan.FromSeconds(4.5))
        {
            await Task.Delay(TimeSpan.FromMilliseconds(500));
            await client.SendAsync(RawMqtt.PingReq);
            var answer = await client.ReadAsync(ReadTimeout);
            Assert.True(answer is { Type: RawMqtt.PingResp }, $"Expected PINGRESP after {client.Elapsed}, got {answer?.ToString() ?? "the connection closed"}.");
        }
    }

    [Fact(Timeout = 60_000)]
    public async Task Connect_SameClientId5_OlderConnectionGetsDisconnectSessionTakenOver()
    {
        const string id = "connect-takeover-5";
        const string topic = "connect/takeover/5";
        await using var older = await Mosquitto.StartSubscriberAsync(_broker, "5", "-i", id, "-t", topic, "-v");
        await using var newer = await Mosquitto.StartSubscriberAsync(_broker, "5", "-i", id, "-t", topic, "-v", "-C", "1");

        // [MQTT-3.1.4-3] The older connection is closed; a 5.0 client is told 0x8E (Session taken over).
        await older.WaitForLineAsync("Received DISCONNECT (142)", Mosquitto.DefaultTimeout);
        await older.WaitForExitAsync(Mosquitto.DefaultTimeout);

        await ProcessAssert.SucceedsAsync(Mosquitto.PublishAsync(_broker, "5", "-t", topic, "-m", "to-newer", "-q", "1"), _broker);
        await ProcessAssert.ExitsAsync(newer, _broker);
        Assert.Equal([topic + " to-newer"], Mosquitto.Messages(newer, topic));
        Assert.Empty(Mosquitto.Messages(older, topic));
    }

    [Fact(Timeout = 60_000)]
    public async Task Connect_SameClientId311_OlderConnectionClosed()
    {
        const string id = "connect-takeover-311";
        const string topic = "connect/takeover/311";
        var (older, connAck) = await RawMqttClient.ConnectAsync(_broker, RawMqtt.Connect(4, id));
        await using var _ = older;
        Assert.Equal(0x00, connAck.ReasonCode);

        await using var newer = await Mosquitto.StartSubscriberAsync(_broker, "311", "-i", id, "-t", topic, "-v", "-C", "1");

        // [MQTT-3.1.4-3] 3.1.1 has no DISCONNECT from the server: the connection just closes.
        Assert.Empty(await older.ReadUntilClosedAsync(ReadTimeout));
        await ProcessAssert.SucceedsAsync(Mosquitto.PublishAsync(_broker, "311", "-t", topic, "-m", "to-newer", "-q", "1"), _broker);
        await ProcessAssert.ExitsAsync(newer, _broker);
        Assert.Equal([topic + " to-newer"], Mosquitto.Messages(newer, topic));
    }

    [Theory(Timeout = 60_000)]
    [InlineData(4)]
    [InlineData(5)]
    public async Task Connect_TakesOverLivePersistentSession_SessionPresent(int level)
    {
        var id = $"connect-takeover-present-{level}";
        uint? expiry = level == 5 ? 300u : null;
        var (older, first) = await RawMqttClient.ConnectAsync(_broker, RawMqtt.Connect(level, id, cleanStart: false, sessionExpiry: expiry));
        await using var _ = older;
        Assert.False(first.SessionPresent);

        var (newer, second) = await RawMqttClient.ConnectAsync(_broker, RawMqtt.Connect(level, id, cleanStart: false, sessionExpiry: expiry));
        await using var __ = newer;

        // [MQTT-3.2.2-2] The new connection resumes the session the older one held.
        Assert.Equal(0x00, second.ReasonCode);
        Assert.True(second.SessionPresent);
        var olderGot = await older.ReadUntilClosedAsync(ReadTimeout);
        Assert.Equal(level == 5 ? [RawMqtt.Disconnect] : [], olderGot.Select(p => p.Type));
    }

    /// <summary>Connects, returns CONNACK's session present flag, disconnects and waits until the broker has closed (and detached).</summary>
    private async Task<bool> ConnectAndDisconnectAsync(string clientId, bool cleanStart, uint? sessionExpiry)
    {
        var level = sessionExpiry is null ? 4 : 5;
        var (client, connAck) = await RawMqttClient.ConnectAsync(_broker, RawMqtt.Connect(level, clientId, cleanStart, sessionExpiry: sessionExpiry));
        await using var _ = client;
        Assert.Equal(0x00, connAck.ReasonCode);
        await client.SendAsync(RawMqtt.NormalDisconnect);
        Assert.Empty(await client.ReadUntilClosedAsync(ReadTimeout));
        return connAck.SessionPresent;
    }
}
