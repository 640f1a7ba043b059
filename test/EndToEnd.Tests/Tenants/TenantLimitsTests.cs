using Bifro.EndToEnd.Tests.Clients;
using Xunit;
using static Bifro.EndToEnd.Tests.Clients.Paho;

namespace Bifro.EndToEnd.Tests.Tenants;

/// <summary>
/// Every tenant limit with a real client (paho scenarios in python/tenants.py, mosquitto_pub/sub here), and two
/// tenants whose limits differ on one node.
/// </summary>
[Trait("Category", "EndToEnd")]
public sealed class TenantLimitsTests(TenantLimitsBrokerFixture fixture) : IClassFixture<TenantLimitsBrokerFixture>
{
    private const string Secret = TenantLimitsBrokerFixture.Password;

    [Fact(Timeout = 90_000)]
    public Task Paho_TwoTenants_SameTopicWithinOneLimitPastTheOther() => Scenario("limits_differ_by_tenant");

    [Fact(Timeout = 90_000)]
    public Task Paho_MaxTopicLength_Disconnect0x90() => Scenario("topic_length");

    [Fact(Timeout = 90_000)]
    public Task Paho_MaxUserPayloadBytes_Disconnect0x95() => Scenario("payload_size");

    [Fact(Timeout = 90_000)]
    public Task Paho_ConnAck_ReceiveMaximumSessionExpiryAndRetainAvailablePerTenant() => Scenario("connack_settings");

    [Fact(Timeout = 90_000)]
    public Task Paho_ReceivingMaximum_Disconnect0x93() => Scenario("receive_maximum");

    [Fact(Timeout = 90_000)]
    public Task Paho_RetainDisabled_RetainedPublishDisconnect0x9A() => Scenario("retain_disabled");

    [Fact(Timeout = 90_000)]
    public Task Paho_RetainDisabled_RetainedWillConnAck0x9A() => Scenario("will_retain_disabled");

    [Fact(Timeout = 90_000)]
    public Task Paho_MaxRetainedTopics_PubAck0x97AndNotRetained() => Scenario("retained_quota");

    [Theory(Timeout = 90_000)]
    [InlineData("5")]
    [InlineData("311")]
    public Task Paho_MaxSubscriptionsPerSession_SubAck0x97Or0x80(string protocol) => Scenario("subscriptions_per_session", protocol);

    [Fact(Timeout = 90_000)]
    public Task Paho_MaxTopicFiltersPerSub_Disconnect0x97() => Scenario("filters_per_subscribe");

    [Fact(Timeout = 90_000)]
    public Task Paho_MaxTopicLevelsOfAFilter_SubAck0x8F() => Scenario("filter_limits");

    [Theory(Timeout = 90_000)]
    [InlineData("5")]
    [InlineData("311")]
    public Task Paho_MsgPubPerSec_Disconnect0x96OrClose(string protocol) => Scenario("publish_rate", protocol);

    [Theory(Timeout = 90_000)]
    [InlineData("5")]
    [InlineData("311")]
    public Task Paho_ConnectPerSecond_ConnAck0x9FOr3(string protocol) => Scenario("connect_rate", protocol);

    [Theory(Timeout = 90_000)]
    [InlineData("5")]
    [InlineData("311")]
    public Task Paho_MaxConnections_ConnAck0x97Or3ThenFreedOnClose(string protocol) => Scenario("max_connections", protocol);

    [Fact(Timeout = 90_000)]
    public Task Paho_SessionInboxSize_OldestDropped() => Scenario("inbox_size");

    [Fact(Timeout = 90_000)]
    public async Task Mosquitto_MaxConnections_ThirdRefusedOtherTenantUnlimited()
    {
        await using var one = await Mosquitto.StartSubscriberAsync(fixture.Broker, "5", "-u", "tess", "-P", Secret, "-t", "m/one");
        await using var two = await Mosquitto.StartSubscriberAsync(fixture.Broker, "311", "-u", "tess", "-P", Secret, "-t", "m/two");

        var v5 = await Mosquitto.PublishAsync(fixture.Broker, "5", "-u", "tess", "-P", Secret, "-t", "m/x", "-m", "m");
        var v311 = await Mosquitto.PublishAsync(fixture.Broker, "311", "-u", "tess", "-P", Secret, "-t", "m/x", "-m", "m");

        // globex has no MaxConnections: a third connection next to two of its own is fine.
        await using var g1 = await Mosquitto.StartSubscriberAsync(fixture.Broker, "5", "-u", "gina", "-P", Secret, "-t", "m/g1");
        await using var g2 = await Mosquitto.StartSubscriberAsync(fixture.Broker, "5", "-u", "gina", "-P", Secret, "-t", "m/g2");
        var globex = await Mosquitto.PublishAsync(fixture.Broker, "5", "-u", "gina", "-P", Secret, "-t", "m/x", "-m", "m");

        Assert.Equal(0x97, v5.ExitCode); // mosquitto_pub exits with the CONNACK reason code
        Assert.Contains("Quota exceeded", v5.StandardError, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("Connection Refused: broker unavailable", v311.StandardError, StringComparison.Ordinal);
        Assert.True(globex.ExitCode == 0, globex.ToString());
    }

    [Fact(Timeout = 90_000)]
    public async Task Mosquitto_ConnectPerSecond_SecondConnectionWithinTheSecondRefused0x9F()
    {
        await Task.Delay(TimeSpan.FromSeconds(1.1)); // a full second's allowance, whatever ran before
        var first = await Mosquitto.PublishAsync(fixture.Broker, "5", "-u", "bart", "-P", Secret, "-t", "m/x", "-m", "m");
        var second = await Mosquitto.PublishAsync(fixture.Broker, "5", "-u", "bart", "-P", Secret, "-t", "m/x", "-m", "m");

        Assert.True(first.ExitCode == 0, first.ToString());
        Assert.Equal(0x9F, second.ExitCode);
    }

    [Fact(Timeout = 90_000)]
    public async Task Mosquitto_MsgPubPerSec_BurstDisconnected0x96()
    {
        var lines = Enumerable.Range(0, 200).Select(i => $"m{i}");
        await using var subscriber = await Mosquitto.StartSubscriberAsync(fixture.Broker, "5", "-u", "chad", "-P", Secret, "-t", "m/rate", "-v");

        var result = await Mosquitto.PublishLinesAsync(fixture.Broker, "5", lines, "-u", "chad", "-P", Secret, "-t", "m/rate", "-q", "1", "-d");

        // mosquitto_pub -l reports the server's DISCONNECT with its reason code (150 = 0x96) and stops.
        Assert.Contains("Received DISCONNECT (150)", result.StandardOutput + result.StandardError, StringComparison.Ordinal);
        await fixture.Broker.Process.WaitForLineAsync(line => line.Contains("exceeded the tenant limit MsgPubPerSec", StringComparison.Ordinal), Mosquitto.DefaultTimeout);
        Assert.True(Mosquitto.Messages(subscriber, "m/rate").Count < 200, "every message got through");
    }

    [Theory(Timeout = 90_000)]
    [InlineData("5")]
    [InlineData("311")]
    public async Task Mosquitto_MaxTopicLevels_PublishPastItNotDelivered(string version)
    {
        await using var subscriber = await Mosquitto.StartSubscriberAsync(fixture.Broker, "5", "-u", "alice", "-P", Secret, "-t", "lv/#", "-v");

        var deep = await Mosquitto.PublishAsync(fixture.Broker, version, "-u", "alice", "-P", Secret, "-t", "lv/a/b/c", "-m", "too deep", "-q", "1");
        var fits = await Mosquitto.PublishAsync(fixture.Broker, version, "-u", "alice", "-P", Secret, "-t", "lv/a/b", "-m", "fits", "-q", "1");

        Assert.NotEqual(0, deep.ExitCode);
        Assert.True(fits.ExitCode == 0, fits.ToString());
        await subscriber.WaitForLineAsync("lv/a/b fits", Mosquitto.DefaultTimeout);
        Assert.DoesNotContain("too deep", subscriber.Output, StringComparison.Ordinal);
    }

    [Fact(Timeout = 90_000)]
    public async Task Mosquitto_RetainDisabledTenant_ClientDropsTheRetainFlagOtherTenantRetains()
    {
        var globex = await Mosquitto.PublishAsync(fixture.Broker, "5", "-u", "gina", "-P", Secret, "-t", "rt/x", "-m", "kept?", "-r", "-q", "1", "-d");
        var chatty = await Mosquitto.PublishAsync(fixture.Broker, "5", "-u", "chad", "-P", Secret, "-t", "rt/x", "-m", "kept", "-r", "-q", "1", "-d");
        var globexRetained = await Mosquitto.SubscribeAsync(fixture.Broker, "5", "-u", "gina", "-P", Secret, "-t", "rt/x", "-v", "-W", "2");
        var chattyRetained = await Mosquitto.SubscribeAsync(fixture.Broker, "5", "-u", "chad", "-P", Secret, "-t", "rt/x", "-v", "-C", "1", "-W", "10");

        // CONNACK said Retain Available 0 to globex's client, and mosquitto_pub then sends the message unretained.
        Assert.Contains("sending PUBLISH (d0, q1, r0,", globex.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("sending PUBLISH (d0, q1, r1,", chatty.StandardOutput, StringComparison.Ordinal);
        Assert.DoesNotContain("kept", globexRetained.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("rt/x kept", chattyRetained.StandardOutput, StringComparison.Ordinal);
    }

    private Task Scenario(string name, string protocol = "5") =>
        AssertScenarioAsync(fixture.Broker, "tenants.py", name, Parameters(("protocol", protocol)));
}
