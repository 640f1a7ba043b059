using Bifro.EndToEnd.Tests.Clients;
using Bifro.TestKit;
using Xunit;

namespace Bifro.EndToEnd.Tests.Auth;

/// <summary>The http provider against a small auth service started by the test, with mosquitto_pub/sub.</summary>
[Trait("Category", "EndToEnd")]
public sealed class HttpAuthTests(HttpAuthBrokerFixture fixture) : IClassFixture<HttpAuthBrokerFixture>
{
    private const string Secret = HttpAuthBrokerFixture.Password;

    [Fact(Timeout = 60_000)]
    public async Task Connect_ServiceSaysOk_PublishGrantedByTheServiceDelivered()
    {
        await using var subscriber = await Mosquitto.StartSubscriberAsync(fixture.Broker, "5", "-u", "alice", "-P", Secret, "-t", "users/alice/#", "-v");

        var result = await Mosquitto.PublishAsync(fixture.Broker, "311", "-u", "alice", "-P", Secret, "-i", "http-pub", "-t", "users/alice/x", "-m", "via-http", "-q", "1");

        Assert.True(result.ExitCode == 0, result.ToString());
        await subscriber.WaitForLineAsync("users/alice/x via-http", Mosquitto.DefaultTimeout);
        var request = fixture.Service.Requests.Last(r => r.Path == "/auth" && (string?)r.Body["clientId"] == "http-pub");
        Assert.Equal(4, (int?)request.Body["protocolVersion"]);
        Assert.Equal("tcp", (string?)request.Body["listener"]);
        Assert.Equal("127.0.0.1", (string?)request.Body["remoteAddress"]);
        Assert.Equal("Bearer broker-token", request.Headers["Authorization"]);
        var check = fixture.Service.Requests.Last(r => r.Path == "/check" && (string?)r.Body["clientId"] == "http-pub" && (string?)r.Body["action"] == "publish");
        Assert.Equal("acme", (string?)check.Body["tenant"]);
        Assert.Equal("ops", (string?)check.Body["attributes"]!["role"]);
    }

    [Theory(Timeout = 60_000)]
    [InlineData("alice", "wrong", 0x86)]
    [InlineData("nobody", Secret, 0x86)]
    [InlineData("mallory", Secret, 0x87)]
    [InlineData("eve", Secret, 0x8A)]
    public async Task Connect5_ServiceRefuses_ConnAckCode(string user, string password, int code)
    {
        var result = await Mosquitto.PublishAsync(fixture.Broker, "5", "-u", user, "-P", password, "-t", "open/x", "-m", "m");

        Assert.True(result.ExitCode == code, $"CONNACK 0x{result.ExitCode:X2}, expected 0x{code:X2}\n{result}\n--- broker\n{fixture.Broker.Output}");
    }

    [Fact(Timeout = 60_000)]
    public async Task Connect311_BadCredentials_ReturnCode4()
    {
        var result = await Mosquitto.PublishAsync(fixture.Broker, "311", "-u", "alice", "-P", "wrong", "-t", "open/x", "-m", "m");

        Assert.Contains("Connection Refused: bad user name or password", result.StandardError, StringComparison.Ordinal);
    }

    [Theory(Timeout = 60_000)]
    [InlineData("broken")]
    [InlineData("garbage")]
    [InlineData("slow")]
    public async Task Connect_ServiceFailsOrTimesOut_FailsClosed0x80(string user)
    {
        var started = System.Diagnostics.Stopwatch.StartNew();

        var v5 = await Mosquitto.PublishAsync(fixture.Broker, "5", "-u", user, "-P", Secret, "-t", "open/x", "-m", "m");
        var v311 = await Mosquitto.PublishAsync(fixture.Broker, "311", "-u", user, "-P", Secret, "-t", "open/x", "-m", "m");

        Assert.Equal(0x80, v5.ExitCode);
        Assert.Contains("Connection Refused: broker unavailable", v311.StandardError, StringComparison.Ordinal);
        Assert.True(started.Elapsed < TimeSpan.FromSeconds(6), $"took {started.Elapsed}: the 1 s request timeout did not hold");
        Assert.True(fixture.AuthenticationsOf(user) >= 2, "errors are not cached: both CONNECTs asked the service");
    }

    [Fact(Timeout = 60_000)]
    public async Task PublishAndSubscribe_ServiceDenies_0x87()
    {
        var publish = await Mosquitto.PublishAsync(fixture.Broker, "5", "-u", "bob", "-P", Secret, "-t", "users/alice/x", "-m", "m", "-q", "1", "-d");
        var subscribe = await Mosquitto.SubscribeAsync(fixture.Broker, "5", "-u", "bob", "-P", Secret, "-t", "users/alice/#", "-d", "-W", "5", "-C", "1");

        Assert.Contains("received PUBACK (Mid: 1, RC:135)", publish.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("Subscribed (mid: 1): 135", subscribe.StandardOutput, StringComparison.Ordinal);
    }

    [Fact(Timeout = 60_000)]
    public async Task Cache_OkAnswerReusedAcrossConnections()
    {
        for (var i = 0; i < 3; i++)
        {
            var result = await Mosquitto.PublishAsync(fixture.Broker, "5", "-u", "cachy", "-P", Secret, "-i", "http-cachy", "-t", "open/x", "-m", "m");
            Assert.True(result.ExitCode == 0, result.ToString());
        }

        Assert.Equal(1, fixture.AuthenticationsOf("cachy"));
    }

    [Fact(Timeout = 60_000)]
    public async Task Cache_RefusalReusedUntilTheNegativeTtl()
    {
        await Mosquitto.PublishAsync(fixture.Broker, "5", "-u", "negative", "-P", "x", "-i", "http-neg", "-t", "open/x", "-m", "m");
        await Mosquitto.PublishAsync(fixture.Broker, "5", "-u", "negative", "-P", "x", "-i", "http-neg", "-t", "open/x", "-m", "m");
        Assert.Equal(1, fixture.AuthenticationsOf("negative"));

        // After the two-second negative TTL, the service is asked again.
        await Eventually.TrueAsync(
            async () =>
            {
                await Mosquitto.PublishAsync(fixture.Broker, "5", "-u", "negative", "-P", "x", "-i", "http-neg", "-t", "open/x", "-m", "m");
                return fixture.AuthenticationsOf("negative") >= 2;
            },
            TimeSpan.FromSeconds(15),
            "the refusal expired from the cache");
    }

    [Fact(Timeout = 90_000)]
    public async Task Service_Unreachable_FailsClosed()
    {
        await using var broker = await BrokerProcess.StartAsync(
            null,
            "--auth", "http",
            $"--Bifro:Auth:Http:AuthenticateUrl=http://127.0.0.1:{FreePort.Next()}/auth",
            $"--Bifro:Auth:Http:CheckPermissionUrl=http://127.0.0.1:{FreePort.Next()}/check",
            "--Bifro:Auth:FailedConnectDelayMin=00:00:00",
            "--Bifro:Auth:FailedConnectDelayMax=00:00:00");

        var result = await Mosquitto.PublishAsync(broker, "5", "-u", "alice", "-P", Secret, "-t", "open/x", "-m", "m");

        Assert.Equal(0x80, result.ExitCode);
        await broker.Process.WaitForLineAsync(line => line.Contains("could not be reached", StringComparison.Ordinal), Mosquitto.DefaultTimeout);
    }
}
