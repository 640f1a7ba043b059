using Bifro.EndToEnd.Tests.Clients;
using Bifro.TestKit;
using Xunit;

namespace Bifro.EndToEnd.Tests;

/// <summary>
/// Clients that break the protocol, from a raw socket. Each test keeps a well-behaved mosquitto_sub
/// connected meanwhile and checks that it still gets messages afterwards: the bad client harms no one.
/// </summary>
[Trait("Category", "EndToEnd")]
public sealed class BadInputTests(BadInputBrokerFixture fixture) : IClassFixture<BadInputBrokerFixture>
{
    private static readonly TimeSpan CloseTimeout = TimeSpan.FromSeconds(10);

    private readonly BrokerProcess _broker = fixture.Broker;

    [Theory(Timeout = 60_000)]
    [InlineData("Nothing")]
    [InlineData("PartialConnect")]
    public async Task Connection_NoCompleteConnect_ClosedAfterConnectTimeout(string sent)
    {
        var packets = await WithBystanderAsync("no-connect-" + sent, async () =>
        {
            await using var client = await RawMqttClient.ConnectAsync(_broker);
            if (sent == "PartialConnect")
            {
                // The first 8 bytes of a CONNECT, then silence: still no CONNECT.
                await client.SendAsync(RawMqtt.Connect(4, "bad-partial-connect")[..8]);
            }

            var received = await client.ReadUntilClosedAsync(TimeSpan.FromSeconds(15));

            // Bifro:Mqtt:ConnectTimeout=2s (§3.1.4: a server may close a connection that sends no CONNECT within a reasonable time).
            Assert.InRange(client.Elapsed, BadInputBrokerFixture.ConnectTimeout - TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(8));
            return received;
        });

        Assert.Empty(packets);
    }

    [Theory(Timeout = 60_000)]
    [InlineData("PingReq")]
    [InlineData("Publish")]
    [InlineData("Subscribe")]
    public async Task Connection_FirstPacketNotConnect_ClosedAtOnce(string first)
    {
        var packets = await WithBystanderAsync("not-connect-" + first, async () =>
        {
            await using var client = await RawMqttClient.ConnectAsync(_broker);
            await client.SendAsync(first switch
            {
                "PingReq" => RawMqtt.PingReq,
                "Publish" => RawMqtt.PublishPacket(4, "bad/first"),
                _ => RawMqtt.Subscribe(4, 1, "bad/first", 0),
            });
            var received = await client.ReadUntilClosedAsync(CloseTimeout);

            // [MQTT-3.1.0-1] Closed on the spot, well before the CONNECT timeout would have closed it.
            Assert.True(client.Elapsed < BadInputBrokerFixture.ConnectTimeout, $"closed after {client.Elapsed}");
            return received;
        });

        Assert.Empty(packets);
    }

    [Theory(Timeout = 60_000)]
    [InlineData("BadRemainingLength")]
    [InlineData("InvalidUtf8Topic")]
    [InlineData("QoS3")]
    public async Task BadPacket_Malformed5_DisconnectMalformedPacket(string packet)
    {
        // [MQTT-4.13.1-1] Malformed Packet: DISCONNECT 0x81, then close.
        Assert.Equal(0x81, await DisconnectReasonAfterAsync(5, packet));
    }

    [Theory(Timeout = 60_000)]
    [InlineData("PacketIdZero")]
    [InlineData("SecondConnect")]
    [InlineData("SubscriptionIdentifierFromClient")]
    public async Task BadPacket_ProtocolError5_DisconnectProtocolError(string packet)
    {
        // [MQTT-2.2.1-3], [MQTT-3.1.0-2], [MQTT-3.3.4-6]: Protocol Error, DISCONNECT 0x82.
        Assert.Equal(0x82, await DisconnectReasonAfterAsync(5, packet));
    }

    [Fact(Timeout = 60_000)]
    public async Task BadPacket_LargerThanMaximumPacketSize5_DisconnectPacketTooLarge()
    {
        // 5.0 §3.2.2.3.6: over the Maximum Packet Size told in CONNACK (Bifro:Mqtt:MaxPacketSize=1024), DISCONNECT 0x95.
        Assert.Equal(0x95, await DisconnectReasonAfterAsync(5, "TooLarge"));
    }

    [Theory(Timeout = 60_000)]
    [InlineData("WildcardPlus")]
    [InlineData("WildcardHash")]
    public async Task BadPacket_WildcardInPublishTopic5_DisconnectTopicNameInvalid(string packet)
    {
        // [MQTT-3.3.2-2] A topic name has no wildcards: DISCONNECT 0x90 (Topic Name invalid).
        Assert.Equal(0x90, await DisconnectReasonAfterAsync(5, packet));
    }

    [Theory(Timeout = 60_000)]
    [InlineData("BadRemainingLength")]
    [InlineData("InvalidUtf8Topic")]
    [InlineData("QoS3")]
    [InlineData("PacketIdZero")]
    [InlineData("SecondConnect")]
    [InlineData("TooLarge")]
    [InlineData("WildcardPlus")]
    public async Task BadPacket_From311Client_ConnectionClosedWithoutDisconnect(string packet)
    {
        // [MQTT-4.8.0-1] 3.1.1 has no server DISCONNECT: the connection is closed.
        var packets = await WithBystanderAsync($"311-{packet}", () => SendAfterConnectAsync(4, packet));

        Assert.Empty(packets);
    }

    /// <summary>Connects a <paramref name="level"/> client, sends the bad packet, returns DISCONNECT's reason code.</summary>
    private async Task<byte> DisconnectReasonAfterAsync(int level, string packet)
    {
        var packets = await WithBystanderAsync($"{level}-{packet}", () => SendAfterConnectAsync(level, packet));

        var disconnect = Assert.Single(packets);
        Assert.Equal(RawMqtt.Disconnect, disconnect.Type);
        return disconnect.ReasonCode;
    }

    /// <summary>What the broker sent after CONNACK until it closed the connection.</summary>
    private async Task<IReadOnlyList<RawPacket>> SendAfterConnectAsync(int level, string packet)
    {
        var (client, connAck) = await RawMqttClient.ConnectAsync(_broker, RawMqtt.Connect(level, $"bad-{level}-{packet}"));
        await using var _ = client;
        Assert.Equal(0x00, connAck.ReasonCode);

        await client.SendAsync(BadPacket(level, packet));
        return await client.ReadUntilClosedAsync(CloseTimeout);
    }

    private static byte[] BadPacket(int level, string name) => name switch
    {
        // Five length bytes, each with the continuation bit but the last [MQTT-1.5.5]: at most four.
        "BadRemainingLength" => [0x30, 0x80, 0x80, 0x80, 0x80, 0x01],

        // "a/" then 0xC3 0x28, not UTF-8 [MQTT-1.5.4-1].
        "InvalidUtf8Topic" => RawMqtt.PublishPacket(level, [0x61, 0x2F, 0xC3, 0x28], 0, 0, "x"u8.ToArray()),
        "QoS3" => RawMqtt.PublishPacket(level, "bad/qos3", qos: 3, packetId: 1, payload: "x"),
        "PacketIdZero" => RawMqtt.PublishPacket(level, "bad/packet-id-zero", qos: 1, packetId: 0, payload: "x"),
        "SecondConnect" => RawMqtt.Connect(level, $"bad-second-{level}"),

        // Subscription Identifier (0x0B) = 1: only a server puts it in PUBLISH.
        "SubscriptionIdentifierFromClient" => RawMqtt.PublishPacket(level, "bad/subscription-id", payload: "x", properties: [0x0B, 0x01]),
        "TooLarge" => RawMqtt.PublishPacket(level, "bad/too-large", payload: new string('x', 2 * BadInputBrokerFixture.MaxPacketSize)),
        "WildcardPlus" => RawMqtt.PublishPacket(level, "bad/+/x", payload: "x"),
        "WildcardHash" => RawMqtt.PublishPacket(level, "bad/#", payload: "x"),
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, null),
    };

    /// <summary>
    /// Runs <paramref name="badClient"/> while a mosquitto_sub is connected, then checks that the broker
    /// still delivers to that subscriber.
    /// </summary>
    private async Task<T> WithBystanderAsync<T>(string name, Func<Task<T>> badClient)
    {
        var topic = $"bystander/{name}";
        await using var bystander = await Mosquitto.StartSubscriberAsync(_broker, "5", "-t", topic, "-q", "1", "-v", "-C", "1");

        var result = await badClient();

        await ProcessAssert.SucceedsAsync(Mosquitto.PublishAsync(_broker, "5", "-t", topic, "-m", "still-here", "-q", "1"), _broker);
        await ProcessAssert.ExitsAsync(bystander, _broker);
        Assert.Equal([topic + " still-here"], Mosquitto.Messages(bystander, topic));
        return result;
    }
}
