using Bifro.EndToEnd.Tests.Clients;
using Xunit;
using static Bifro.EndToEnd.Tests.Clients.Paho;

namespace Bifro.EndToEnd.Tests.Auth;

/// <summary>The file provider against mosquitto_pub/sub (-u/-P) and paho: CONNACK refusals, ACLs, placeholders and tenants.</summary>
[Trait("Category", "EndToEnd")]
public sealed class FileAuthTests(FileAuthBrokerFixture fixture) : IClassFixture<FileAuthBrokerFixture>
{
    private const string Secret = FileAuthBrokerFixture.Password;

    [Theory(Timeout = 60_000)]
    [InlineData("alice", "wrong")]
    [InlineData("nobody", Secret)]
    public async Task Connect311_BadCredentials_RefusedBadUserNameOrPassword(string user, string password)
    {
        var result = await Mosquitto.PublishAsync(fixture.Broker, "311", "-u", user, "-P", password, "-t", "open/x", "-m", "m");

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("Connection Refused: bad user name or password", result.StandardError, StringComparison.Ordinal);
    }

    [Theory(Timeout = 60_000)]
    [InlineData("alice", "wrong")]
    [InlineData("nobody", Secret)]
    public async Task Connect5_BadCredentials_RefusedWith0x86(string user, string password)
    {
        var result = await Mosquitto.PublishAsync(fixture.Broker, "5", "-u", user, "-P", password, "-t", "open/x", "-m", "m");

        // mosquitto_pub exits with the CONNACK reason code.
        Assert.Equal(0x86, result.ExitCode);
        Assert.Contains("Bad User Name or Password", result.StandardError, StringComparison.Ordinal);
    }

    [Fact(Timeout = 60_000)]
    public async Task Connect5_NoCredentials_RefusedWith0x87()
    {
        var result = await Mosquitto.PublishAsync(fixture.Broker, "5", "-t", "open/x", "-m", "m");

        Assert.Equal(0x87, result.ExitCode);
    }

    [Fact(Timeout = 60_000)]
    public async Task Connect_UserDeniedConnectByAcl_RefusedNotAuthorized()
    {
        var v311 = await Mosquitto.PublishAsync(fixture.Broker, "311", "-u", "mallory", "-P", Secret, "-t", "open/x", "-m", "m");
        var v5 = await Mosquitto.PublishAsync(fixture.Broker, "5", "-u", "mallory", "-P", Secret, "-t", "open/x", "-m", "m");

        Assert.Contains("Connection Refused: not authorised", v311.StandardError, StringComparison.Ordinal);
        Assert.Equal(0x87, v5.ExitCode);
    }

    [Theory(Timeout = 60_000)]
    [InlineData("311")]
    [InlineData("5")]
    public async Task Publish_AllowedByAcl_Delivered(string version)
    {
        var topic = $"users/alice/allowed-{version}";
        await using var subscriber = await Mosquitto.StartSubscriberAsync(fixture.Broker, version, "-u", "alice", "-P", Secret, "-t", topic, "-v");

        var result = await Mosquitto.PublishAsync(fixture.Broker, version, "-u", "alice", "-P", Secret, "-t", topic, "-m", "hello", "-q", "1");

        Assert.True(result.ExitCode == 0, result.ToString());
        await subscriber.WaitForLineAsync($"{topic} hello", Mosquitto.DefaultTimeout);
    }

    [Fact(Timeout = 60_000)]
    public async Task Publish5_QoS1DeniedByAcl_PubAck0x87()
    {
        var result = await Mosquitto.PublishAsync(fixture.Broker, "5", "-u", "alice", "-P", Secret, "-t", "secret/plans", "-m", "x", "-q", "1", "-d");

        Assert.Contains("received PUBACK (Mid: 1, RC:135)", result.StandardOutput, StringComparison.Ordinal);
    }

    [Fact(Timeout = 60_000)]
    public async Task Publish_DeniedTopic_NotDeliveredToSubscriberOfIt()
    {
        // carol's subscription to secret/# is refused, so she listens on '#' within her tenant instead.
        await using var subscriber = await Mosquitto.StartSubscriberAsync(fixture.Broker, "5", "-u", "carol", "-P", Secret, "-t", "users/carol/#", "-t", "secret/#", "-v");

        await Mosquitto.PublishAsync(fixture.Broker, "5", "-u", "alice", "-P", Secret, "-t", "users/carol/x", "-m", "not-alice's", "-q", "1");
        await Mosquitto.PublishAsync(fixture.Broker, "5", "-u", "carol", "-P", Secret, "-t", "users/carol/marker", "-m", "marker", "-q", "1");

        await subscriber.WaitForLineAsync("users/carol/marker marker", Mosquitto.DefaultTimeout);
        Assert.DoesNotContain("not-alice's", subscriber.Output, StringComparison.Ordinal);
    }

    [Theory(Timeout = 60_000)]
    [InlineData("5", "135")]
    [InlineData("311", "128")]
    public async Task Subscribe_DeniedByAcl_SubAckFailure(string version, string code)
    {
        var result = await Mosquitto.SubscribeAsync(fixture.Broker, version, "-u", "alice", "-P", Secret, "-t", "secret/#", "-d", "-W", "5", "-C", "1");

        Assert.Contains($"Subscribed (mid: 1): {code}", result.StandardOutput, StringComparison.Ordinal);
    }

    [Fact(Timeout = 60_000)]
    public async Task Placeholders_UserAndClientId_ScopeTopics()
    {
        // %c: a client may use clients/<its own id>/#, and no other client's.
        var own = await Mosquitto.SubscribeAsync(fixture.Broker, "5", "-u", "alice", "-P", Secret, "-i", "dev-7", "-t", "clients/dev-7/#", "-d", "-W", "5", "-C", "1");
        var other = await Mosquitto.SubscribeAsync(fixture.Broker, "5", "-u", "alice", "-P", Secret, "-i", "dev-8", "-t", "clients/dev-7/#", "-d", "-W", "5", "-C", "1");

        // %u: alice may publish under users/alice/#, not under users/bob/#.
        var mine = await Mosquitto.PublishAsync(fixture.Broker, "5", "-u", "alice", "-P", Secret, "-t", "users/alice/x", "-m", "m", "-q", "1", "-d");
        var theirs = await Mosquitto.PublishAsync(fixture.Broker, "5", "-u", "alice", "-P", Secret, "-t", "users/bob/x", "-m", "m", "-q", "1", "-d");

        Assert.Contains("Subscribed (mid: 1): 0", own.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("Subscribed (mid: 1): 135", other.StandardOutput, StringComparison.Ordinal);
        Assert.DoesNotContain("RC:135", mine.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("received PUBACK (Mid: 1, RC:135)", theirs.StandardOutput, StringComparison.Ordinal);
    }

    [Fact(Timeout = 90_000)]
    public async Task Tenants_SameTopicAndClientId_NeverSeeEachOther()
    {
        // Same client id in two tenants: two sessions, both connected at once (no takeover).
        const string Topic = "shared/news";
        await using var acme = await Mosquitto.StartSubscriberAsync(fixture.Broker, "5", "-u", "alice", "-P", Secret, "-i", "twin", "-t", Topic, "-v");
        await using var globex = await Mosquitto.StartSubscriberAsync(fixture.Broker, "5", "-u", "bob", "-P", Secret, "-i", "twin", "-t", Topic, "-v");

        await Mosquitto.PublishAsync(fixture.Broker, "5", "-u", "alice", "-P", Secret, "-t", Topic, "-m", "acme-only", "-q", "1");
        await Mosquitto.PublishAsync(fixture.Broker, "5", "-u", "bob", "-P", Secret, "-t", Topic, "-m", "globex-only", "-q", "1");

        // Retained messages are per tenant too.
        await Mosquitto.PublishAsync(fixture.Broker, "5", "-u", "alice", "-P", Secret, "-t", "shared/retained", "-m", "acme-retained", "-r", "-q", "1");
        await Mosquitto.PublishAsync(fixture.Broker, "5", "-u", "bob", "-P", Secret, "-t", "shared/retained-marker", "-m", "globex-retained", "-r", "-q", "1");
        // One SUBSCRIBE with both filters: retained messages follow in filter order, so a leak of acme's would come first.
        var retained = await Mosquitto.SubscribeAsync(fixture.Broker, "5", "-u", "bob", "-P", Secret, "-t", "shared/retained", "-t", "shared/retained-marker", "-v", "-C", "1");

        await acme.WaitForLineAsync($"{Topic} acme-only", Mosquitto.DefaultTimeout);
        await globex.WaitForLineAsync($"{Topic} globex-only", Mosquitto.DefaultTimeout);
        Assert.DoesNotContain("globex-only", acme.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("acme-only", globex.Output, StringComparison.Ordinal);
        Assert.Contains("shared/retained-marker globex-retained", retained.StandardOutput, StringComparison.Ordinal);
        Assert.DoesNotContain("acme-retained", retained.StandardOutput, StringComparison.Ordinal);
        Assert.False(acme.HasExited, "the acme subscriber was disconnected (taken over?)\n" + acme.Output);
    }

    [Fact(Timeout = 90_000)]
    public Task Paho5_PublishQoS1Denied_PubAck0x87AndConnectionStays() =>
        AssertScenarioAsync(fixture.Broker, "auth.py", "publish_denied_qos1");

    [Fact(Timeout = 90_000)]
    public Task Paho5_PublishQoS0Denied_Disconnect0x87() =>
        AssertScenarioAsync(fixture.Broker, "auth.py", "publish_denied_qos0");

    [Fact(Timeout = 90_000)]
    public Task Paho5_SubscribeAllowedAndDenied_OneCodePerFilter() =>
        AssertScenarioAsync(fixture.Broker, "auth.py", "subscribe_per_filter");
}
