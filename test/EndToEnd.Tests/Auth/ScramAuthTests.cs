using Bifro.EndToEnd.Tests.Clients;
using Bifro.TestKit;
using Xunit;
using static Bifro.EndToEnd.Tests.Clients.ScramMqtt;

namespace Bifro.EndToEnd.Tests.Auth;

/// <summary>
/// SCRAM-SHA-256 enhanced authentication (MQTT 5.0 AUTH) end to end: a raw client with a SCRAM client written
/// from the RFC (TestKit's ScramClient) runs the exchange, checks the server's signature, re-authenticates, and
/// is refused with a wrong password; mosquitto shows plain passwords still work for 3.1.1 clients.
/// </summary>
[Trait("Category", "EndToEnd")]
public sealed class ScramAuthTests(ScramAuthBrokerFixture fixture) : IClassFixture<ScramAuthBrokerFixture>
{
    private const string Method = ScramMqtt.Method;
    private static readonly TimeSpan Timeout = Mosquitto.DefaultTimeout;

    [Fact(Timeout = 60_000)]
    public async Task Exchange_RightPassword_ConnAckCarriesTheServerSignatureAndTheTenantApplies()
    {
        var scram = new ScramClient("dave", "pencil");
        await using var client = await RawMqttClient.ConnectAsync(fixture.Broker);
        var connAck = await ExchangeAsync(client, scram, "scram-dave");

        Assert.Equal(0x00, connAck.ReasonCode);
        var properties = RawProperties.OfConnAck(connAck);
        Assert.Equal(Method, RawProperties.Text(properties, RawProperties.AuthenticationMethod)); // [MQTT-4.12.0-5]
        Assert.True(scram.VerifyServerFinal(properties[RawProperties.AuthenticationData]), "the server's signature does not verify");

        // Authenticated as dave: the ACL lets him subscribe under scram/#, and not elsewhere.
        await client.SendAsync(RawMqtt.Subscribe(5, 1, "scram/x", 1));
        var granted = await client.ReadAsync(Timeout);
        await client.SendAsync(RawMqtt.Subscribe(5, 2, "other/x", 1));
        var denied = await client.ReadAsync(Timeout);
        Assert.Equal(0x01, granted!.Value.Body[^1]);
        Assert.Equal(0x87, denied!.Value.Body[^1]);
    }

    [Theory(Timeout = 60_000)]
    [InlineData("dave", "wrong")]
    [InlineData("nobody", "pencil")]
    [InlineData("frank", "s3cret")] // a user without SCRAM credentials
    public async Task Exchange_WrongPasswordOrUnknownUser_ConnAck0x86(string user, string password)
    {
        var scram = new ScramClient(user, password);
        await using var client = await RawMqttClient.ConnectAsync(fixture.Broker);

        var connAck = await ExchangeAsync(client, scram, "scram-bad");

        Assert.Equal(RawMqtt.ConnAck, connAck.Type);
        Assert.Equal(0x86, connAck.ReasonCode);
        Assert.Empty(await client.ReadUntilClosedAsync(Timeout));
    }

    [Fact(Timeout = 60_000)]
    public async Task ReAuthentication_RightPassword_Auth0x00WithTheServerSignature()
    {
        await using var client = await RawMqttClient.ConnectAsync(fixture.Broker);
        var connAck = await ExchangeAsync(client, new ScramClient("erin", "s3cret"), "scram-reauth");
        Assert.Equal(0x00, connAck.ReasonCode);

        // [MQTT-4.12.1-1] AUTH 0x19 starts it, with the same method; the exchange is SCRAM's again.
        var again = new ScramClient("erin", "s3cret");
        await client.SendAsync(ScramMqtt.Auth(0x19, again.ClientFirst()));
        var serverFirst = await ReadAuthAsync(client, 0x18);
        await client.SendAsync(ScramMqtt.Auth(0x18, again.ClientFinal(AuthData(serverFirst))));
        var success = await ReadAuthAsync(client, 0x00);

        Assert.True(again.VerifyServerFinal(AuthData(success)), "the server's signature does not verify");
        await client.SendAsync(RawMqtt.PingReq);
        Assert.Equal(RawMqtt.PingResp, (await client.ReadAsync(Timeout))!.Value.Type);
    }

    [Fact(Timeout = 60_000)]
    public async Task ReAuthentication_WrongPassword_Disconnect0x87()
    {
        await using var client = await RawMqttClient.ConnectAsync(fixture.Broker);
        Assert.Equal(0x00, (await ExchangeAsync(client, new ScramClient("erin", "s3cret"), "scram-reauth-bad")).ReasonCode);

        var wrong = new ScramClient("erin", "guess");
        await client.SendAsync(ScramMqtt.Auth(0x19, wrong.ClientFirst()));
        var serverFirst = await ReadAuthAsync(client, 0x18);
        await client.SendAsync(ScramMqtt.Auth(0x18, wrong.ClientFinal(AuthData(serverFirst))));
        var packets = await client.ReadUntilClosedAsync(Timeout);

        var disconnect = Assert.Single(packets);
        Assert.Equal(RawMqtt.Disconnect, disconnect.Type);
        Assert.Equal(0x87, disconnect.ReasonCode);
    }

    [Fact(Timeout = 60_000)]
    public async Task ReAuthentication_AsAnotherUser_Disconnect0x87()
    {
        await using var client = await RawMqttClient.ConnectAsync(fixture.Broker);
        Assert.Equal(0x00, (await ExchangeAsync(client, new ScramClient("erin", "s3cret"), "scram-reauth-other")).ReasonCode);

        var other = new ScramClient("dave", "pencil");
        await client.SendAsync(ScramMqtt.Auth(0x19, other.ClientFirst()));
        var serverFirst = await ReadAuthAsync(client, 0x18);
        await client.SendAsync(ScramMqtt.Auth(0x18, other.ClientFinal(AuthData(serverFirst))));
        var packets = await client.ReadUntilClosedAsync(Timeout);

        Assert.Equal(0x87, Assert.Single(packets).ReasonCode);
    }

    [Fact(Timeout = 60_000)]
    public async Task Connect_OtherMethod_ConnAck0x8C()
    {
        await using var client = await RawMqttClient.ConnectAsync(fixture.Broker);
        await client.SendAsync(Connect("scram-sha1", "SCRAM-SHA-1", new ScramClient("dave", "pencil").ClientFirst()));

        var connAck = await client.ReadAsync(Timeout);

        Assert.Equal(RawMqtt.ConnAck, connAck!.Value.Type);
        Assert.Equal(0x8C, connAck.Value.ReasonCode);
    }

    [Fact(Timeout = 60_000)]
    public async Task Connect_MalformedClientFirst_ConnAck0x87()
    {
        await using var client = await RawMqttClient.ConnectAsync(fixture.Broker);
        await client.SendAsync(Connect("scram-malformed", Method, "p=tls-unique,,n=dave,r=abc"u8.ToArray()));

        var connAck = await client.ReadAsync(Timeout);

        Assert.Equal(0x87, connAck!.Value.ReasonCode);
    }

    [Theory(Timeout = 60_000)]
    [InlineData("dave", "pencil", "311")] // checked against SCRAM's StoredKey
    [InlineData("erin", "s3cret", "5")]
    [InlineData("frank", "s3cret", "311")]
    public async Task PlainPassword_ClientsWithoutEnhancedAuthentication_StillConnect(string user, string password, string version)
    {
        var result = await Mosquitto.PublishAsync(fixture.Broker, version, "-u", user, "-P", password, "-t", "scram/plain", "-m", "m", "-q", "1");

        Assert.True(result.ExitCode == 0, result.ToString());
    }

    [Fact(Timeout = 60_000)]
    public async Task PlainPassword_Wrong_ConnAck0x86()
    {
        var result = await Mosquitto.PublishAsync(fixture.Broker, "5", "-u", "dave", "-P", "wrong", "-t", "scram/plain", "-m", "m");

        Assert.Equal(0x86, result.ExitCode);
    }

    private Task<RawPacket> ExchangeAsync(RawMqttClient client, ScramClient scram, string clientId) =>
        ScramMqtt.ExchangeAsync(client, scram, clientId, fixture.Broker);

    private Task<RawPacket> ReadAuthAsync(RawMqttClient client, byte reason) => ScramMqtt.ReadAuthAsync(client, reason, fixture.Broker);
}
