using Bifro.EndToEnd.Tests.Fixtures;
using Xunit;
using static Bifro.EndToEnd.Tests.Clients.Paho;

namespace Bifro.EndToEnd.Tests.WithPaho;

/// <summary>
/// Configured limits, announced in CONNACK and enforced on the client (paho-mqtt 1.6.1, MQTT 5.0): Topic Alias
/// Maximum, Receive Maximum, Maximum Packet Size, Server Keep Alive and the maximum Session Expiry Interval.
/// </summary>
[Trait("Category", "EndToEnd")]
public sealed class PahoLimitsTests(LimitedBrokerFixture fixture) : IClassFixture<LimitedBrokerFixture>
{
    [Fact(Timeout = 90_000)]
    public Task ConnAck_ConfiguredLimits_AnnouncedAsConfigured() =>
        AssertScenarioAsync(fixture.Broker, "connack.py", "limits", LimitedBrokerFixture.ScenarioParameters);

    [Fact(Timeout = 90_000)]
    public Task ConnAck_SessionExpiryAboveMaximum_GrantsTheMaximum() =>
        AssertScenarioAsync(fixture.Broker, "connack.py", "session_expiry_clamped", LimitedBrokerFixture.ScenarioParameters);

    [Fact(Timeout = 90_000)]
    public Task KeepAlive_ClientSilentPastServerKeepAlive_Disconnect0x8D() =>
        AssertScenarioAsync(fixture.Broker, "connack.py", "server_keep_alive_enforced", LimitedBrokerFixture.ScenarioParameters);

    [Fact(Timeout = 90_000)]
    public Task TopicAlias_AboveServerMaximum_Disconnect0x94() =>
        AssertScenarioAsync(fixture.Broker, "topic_alias.py", "client_alias_above_maximum", LimitedBrokerFixture.ScenarioParameters);

    [Fact(Timeout = 90_000)]
    public Task Publish_LargerThanMaxPacketSize_Disconnect0x95() =>
        AssertScenarioAsync(fixture.Broker, "flow_control.py", "server_maximum_packet_size", LimitedBrokerFixture.ScenarioParameters);

    [Fact(Timeout = 90_000)]
    public Task Publish_MoreUnacknowledgedQoS2ThanReceiveMaximum_Disconnect0x93() =>
        AssertScenarioAsync(fixture.Broker, "flow_control.py", "receive_maximum_inbound", LimitedBrokerFixture.ScenarioParameters);
}
