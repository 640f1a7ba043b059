using System.Text;
using Bifro.EndToEnd.Tests.Clients;
using Xunit;

namespace Bifro.EndToEnd.Tests.Auth;

/// <summary>
/// An auth provider plugin loaded from a plugins folder (test/TestPlugins): fail closed when it hangs past
/// Bifro:Auth:Timeout, and the 5.0 AUTH exchange of enhanced authentication, with re-authentication.
/// </summary>
[Trait("Category", "EndToEnd")]
public sealed class PluginAuthTests(PluginAuthBrokerFixture fixture) : IClassFixture<PluginAuthBrokerFixture>
{
    [Fact(Timeout = 60_000)]
    public async Task Plugin_LoadedFromFolder_MadeByDependencyInjection()
    {
        await fixture.Broker.Process.WaitForLineAsync("SlowAuthProvider loaded", Mosquitto.DefaultTimeout);
        await fixture.Broker.Process.WaitForLineAsync($"Auth provider: plugin {PluginAuthBrokerFixture.TypeName}", Mosquitto.DefaultTimeout);

        var result = await Mosquitto.PublishAsync(fixture.Broker, "5", "-u", "anyone", "-t", "open/x", "-m", "m", "-q", "1");

        Assert.True(result.ExitCode == 0, result.ToString());
    }

    [Fact(Timeout = 60_000)]
    public async Task Connect_ProviderTimesOut_RefusedServerUnavailable()
    {
        var v311 = await Mosquitto.PublishAsync(fixture.Broker, "311", "-u", "slow", "-t", "open/x", "-m", "m");
        var v5 = await Mosquitto.PublishAsync(fixture.Broker, "5", "-u", "slow", "-t", "open/x", "-m", "m");

        // 3.x: return code 3 (server unavailable); 5.0: 0x80 (unspecified error). Fail closed, and logged.
        Assert.Contains("Connection Refused: broker unavailable", v311.StandardError, StringComparison.Ordinal);
        Assert.Equal(0x80, v5.ExitCode);
        await fixture.Broker.Process.WaitForLineAsync(line => line.Contains("timed out", StringComparison.Ordinal) && line.Contains("AuthenticateAsync", StringComparison.Ordinal), Mosquitto.DefaultTimeout);
    }

    [Fact(Timeout = 60_000)]
    public async Task Check_ProviderTimesOut_SubscribeAndPublishDenied()
    {
        var subscribe = await Mosquitto.SubscribeAsync(fixture.Broker, "5", "-u", "anyone", "-t", "slow/x", "-d", "-W", "10", "-C", "1");
        var publish = await Mosquitto.PublishAsync(fixture.Broker, "5", "-u", "anyone", "-t", "slow/x", "-m", "m", "-q", "1", "-d");

        Assert.Contains("Subscribed (mid: 1): 135", subscribe.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("received PUBACK (Mid: 1, RC:135)", publish.StandardOutput, StringComparison.Ordinal);
        await fixture.Broker.Process.WaitForLineAsync(line => line.Contains("timed out", StringComparison.Ordinal) && line.Contains("CheckPermissionAsync", StringComparison.Ordinal), Mosquitto.DefaultTimeout);
    }

    [Fact(Timeout = 60_000)]
    public async Task EnhancedAuthentication_ChallengeAnswered_ConnAckThenReAuthentication()
    {
        var (client, first) = await StartAsync(ConnectWithMethod("toy-client", "hello"));
        await using (client)
        {
            // [MQTT-4.12.0-2] AUTH 0x18 with the provider's challenge.
            Assert.Equal(15, first.Type);
            Assert.Equal(0x18, first.Body[0]);
            Assert.Contains("challenge", Encoding.UTF8.GetString(first.Body), StringComparison.Ordinal);

            await client.SendAsync(Auth(0x18, "challenge-answer"));
            var connAck = await client.ReadAsync(Mosquitto.DefaultTimeout);
            Assert.Equal(RawMqtt.ConnAck, connAck!.Value.Type);
            Assert.Equal(0x00, connAck.Value.ReasonCode);

            // [MQTT-4.12.0-5] CONNACK names the method and carries the provider's final data.
            Assert.Contains("toy", Encoding.UTF8.GetString(connAck.Value.Body), StringComparison.Ordinal);
            Assert.Contains("welcome", Encoding.UTF8.GetString(connAck.Value.Body), StringComparison.Ordinal);

            // [MQTT-4.12.1-1] Re-authentication: AUTH 0x19, challenge, answer, AUTH 0x00.
            await client.SendAsync(Auth(0x19, "again"));
            var challenge = await client.ReadAsync(Mosquitto.DefaultTimeout);
            Assert.Equal(15, challenge!.Value.Type);
            Assert.Equal(0x18, challenge.Value.Body[0]);
            await client.SendAsync(Auth(0x18, "challenge-answer"));
            var done = await client.ReadAsync(Mosquitto.DefaultTimeout);
            Assert.Equal(15, done!.Value.Type);
            Assert.Equal(0x00, done.Value.Body[0]);
        }
    }

    [Fact(Timeout = 60_000)]
    public async Task EnhancedAuthentication_WrongAnswer_ConnAck0x87()
    {
        var (client, first) = await StartAsync(ConnectWithMethod("toy-wrong", "hello"));
        await using (client)
        {
            Assert.Equal(15, first.Type);
            await client.SendAsync(Auth(0x18, "guess"));
            var connAck = await client.ReadAsync(Mosquitto.DefaultTimeout);

            Assert.Equal(RawMqtt.ConnAck, connAck!.Value.Type);
            Assert.Equal(0x87, connAck.Value.ReasonCode);
        }
    }

    [Fact(Timeout = 60_000)]
    public async Task EnhancedAuthentication_UnknownMethod_ConnAck0x8C()
    {
        var (client, connAck) = await StartAsync(ConnectWithMethod("toy-unknown", "hello", method: "SCRAM-SHA-1"));
        await using (client)
        {
            Assert.Equal(RawMqtt.ConnAck, connAck.Type);
            Assert.Equal(0x8C, connAck.ReasonCode);
        }
    }

    /// <summary>Connects, sends <paramref name="connect"/> and returns the broker's first answer (AUTH or CONNACK).</summary>
    private async Task<(RawMqttClient Client, RawPacket First)> StartAsync(byte[] connect)
    {
        var client = await RawMqttClient.ConnectAsync(fixture.Broker);
        await client.SendAsync(connect);
        var first = await client.ReadAsync(Mosquitto.DefaultTimeout);
        Assert.True(first is not null, "the broker closed the connection\n" + fixture.Broker.Output);
        return (client, first.Value);
    }

    /// <summary>A 5.0 CONNECT with Authentication Method (0x15) and Authentication Data (0x16).</summary>
    private static byte[] ConnectWithMethod(string clientId, string data, string method = "toy") =>
        RawMqtt.Packet(
            0x10,
            RawMqtt.Utf8("MQTT"),
            [5, 0x02],
            RawMqtt.UInt16(0),
            RawMqtt.PropertyBlock([0x15, .. RawMqtt.Utf8(method), 0x16, .. RawMqtt.Binary(Encoding.UTF8.GetBytes(data))]),
            RawMqtt.Utf8(clientId));

    private static byte[] Auth(byte reason, string data) =>
        RawMqtt.Packet(0xF0, [reason], RawMqtt.PropertyBlock([0x15, .. RawMqtt.Utf8("toy"), 0x16, .. RawMqtt.Binary(Encoding.UTF8.GetBytes(data))]));
}
