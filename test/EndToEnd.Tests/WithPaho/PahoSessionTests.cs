using Bifro.EndToEnd.Tests.Fixtures;
using Xunit;
using static Bifro.EndToEnd.Tests.Clients.Paho;

namespace Bifro.EndToEnd.Tests.WithPaho;

/// <summary>Persistent sessions: queued messages, redelivery, QoS 2 exactly once, session expiry, MQTT 3.1.1 (python/sessions.py).</summary>
[Trait("Category", "EndToEnd")]
public sealed class PahoSessionTests(BrokerFixture fixture) : IClassFixture<BrokerFixture>
{
    private const string Script = "sessions.py";

    [Fact(Timeout = 90_000)]
    public Task Session_QoS1AndQoS2PublishedWhileOffline_DeliveredOnResume() =>
        AssertScenarioAsync(fixture.Broker, Script, "offline_qos1_qos2");

    [Fact(Timeout = 90_000)]
    public Task Session_QoS1DeliveredButNotAcknowledged_ResentWithDupAndSamePacketIdentifier() =>
        AssertScenarioAsync(fixture.Broker, Script, "resend_qos1_with_dup");

    [Fact(Timeout = 90_000)]
    public Task Session_QoS2NotAnsweredWithPubRec_ResentWithDupAndSamePacketIdentifier() =>
        AssertScenarioAsync(fixture.Broker, Script, "resend_qos2_before_pubrec");

    [Fact(Timeout = 90_000)]
    public Task Session_QoS2PubCompLost_PubRelResentNotPublish() =>
        AssertScenarioAsync(fixture.Broker, Script, "qos2_pubrel_resent");

    [Fact(Timeout = 90_000)]
    public Task Session_QoS2ConnectionLostMidExchange_EachMessageDeliveredExactlyOnce() =>
        AssertScenarioAsync(fixture.Broker, Script, "qos2_exactly_once");

    [Fact(Timeout = 90_000)]
    public Task Session_QueuedMessageExpiredWhileOffline_NotDelivered() =>
        AssertScenarioAsync(fixture.Broker, Script, "expired_offline_not_delivered");

    [Fact(Timeout = 90_000)]
    public Task Session_ExpiryIntervalPassed_SessionAndSubscriptionsGone() =>
        AssertScenarioAsync(fixture.Broker, Script, "session_expiry_ends_session");

    [Fact(Timeout = 90_000)]
    public Task Disconnect_ShorterSessionExpiry_SessionEndsEarlier() =>
        AssertScenarioAsync(fixture.Broker, Script, "disconnect_expiry_shortened");

    [Fact(Timeout = 90_000)]
    public Task Disconnect_LongerSessionExpiry_SessionOutlivesTheConnectInterval() =>
        AssertScenarioAsync(fixture.Broker, Script, "disconnect_expiry_extended");

    [Fact(Timeout = 90_000)]
    public Task Disconnect_SessionExpiryAfterConnectWithZero_ProtocolErrorPublishesWill() =>
        AssertScenarioAsync(fixture.Broker, Script, "disconnect_expiry_protocol_error");

    [Fact(Timeout = 90_000)]
    public Task Session_Mqtt311CleanSession0_PersistsWithSessionPresent() =>
        AssertScenarioAsync(fixture.Broker, Script, "mqtt311_persistent");
}
