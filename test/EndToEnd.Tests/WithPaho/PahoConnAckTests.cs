using Bifro.EndToEnd.Tests.Fixtures;
using Xunit;
using static Bifro.EndToEnd.Tests.Clients.Paho;

namespace Bifro.EndToEnd.Tests.WithPaho;

/// <summary>CONNACK for paho-mqtt 1.6.1 with MQTT 5.0 (python/connack.py), on a broker with default settings.</summary>
[Trait("Category", "EndToEnd")]
public sealed class PahoConnAckTests(BrokerFixture fixture) : IClassFixture<BrokerFixture>
{
    private const string Script = "connack.py";

    [Fact(Timeout = 90_000)]
    public Task ConnAck_CleanStartAndSessionExpiry_SessionPresentOnlyWhenResumed() =>
        AssertScenarioAsync(fixture.Broker, Script, "session_present");

    [Fact(Timeout = 90_000)]
    public Task ConnAck_PreviousSessionExpiryZero_SessionNotPresent() =>
        AssertScenarioAsync(fixture.Broker, Script, "session_present_expiry_zero");

    [Fact(Timeout = 90_000)]
    public Task ConnAck_TakeoverOfSessionWithExpiryZero_SessionNotPresent() =>
        AssertScenarioAsync(fixture.Broker, Script, "takeover_of_session_without_expiry");

    [Fact(Timeout = 90_000)]
    public Task ConnAck_EmptyClientIdentifier_AssignsOneThatResumes() =>
        AssertScenarioAsync(fixture.Broker, Script, "assigned_client_identifier");

    [Fact(Timeout = 90_000)]
    public Task ConnAck_DefaultOptions_AnnouncesDefaultLimits() =>
        AssertScenarioAsync(fixture.Broker, Script, "default_limits");
}
