using Bifro.EndToEnd.Tests.Fixtures;
using Xunit;
using static Bifro.EndToEnd.Tests.Clients.Paho;

namespace Bifro.EndToEnd.Tests.WithPaho;

/// <summary>Will messages and the Will Delay Interval (python/will.py).</summary>
[Trait("Category", "EndToEnd")]
public sealed class PahoWillTests(BrokerFixture fixture) : IClassFixture<BrokerFixture>
{
    private const string Script = "will.py";

    [Fact(Timeout = 90_000)]
    public Task Will_DisconnectWithWillMessage0x04_PublishedWithItsProperties() =>
        AssertScenarioAsync(fixture.Broker, Script, "on_disconnect_with_will");

    [Fact(Timeout = 90_000)]
    public Task Will_NormalDisconnect0x00_NotPublished() =>
        AssertScenarioAsync(fixture.Broker, Script, "not_on_normal_disconnect");

    [Fact(Timeout = 90_000)]
    public Task Will_ReconnectAfterNormalDisconnectBeforeOldConnectionClosed_NotPublished() =>
        AssertScenarioAsync(fixture.Broker, Script, "not_on_normal_disconnect_before_detach");

    [Fact(Timeout = 90_000)]
    public Task Will_ConnectionLost_Published() =>
        AssertScenarioAsync(fixture.Broker, Script, "on_connection_loss");

    [Fact(Timeout = 90_000)]
    public Task Will_TakeoverWithCleanStart_PublishedAlthoughDelayed() =>
        AssertScenarioAsync(fixture.Broker, Script, "on_takeover");

    [Fact(Timeout = 90_000)]
    public Task Will_TakeoverOfSessionWithExpiryZero_PublishedAlthoughDelayed() =>
        AssertScenarioAsync(fixture.Broker, Script, "delayed_on_takeover_of_expiry_zero");

    [Fact(Timeout = 90_000)]
    public Task Will_DelayInterval_PublishedOnlyAfterTheDelay() =>
        AssertScenarioAsync(fixture.Broker, Script, "delay_published_after_delay");

    [Fact(Timeout = 90_000)]
    public Task Will_SessionResumedWithinDelay_NotPublished() =>
        AssertScenarioAsync(fixture.Broker, Script, "delay_not_published_when_resumed");

    [Fact(Timeout = 90_000)]
    public Task Will_CleanStartWithinDelay_PublishedAsTheSessionEnds() =>
        AssertScenarioAsync(fixture.Broker, Script, "delay_published_on_clean_start");

    [Fact(Timeout = 90_000)]
    public Task Will_SessionExpiryShorterThanDelay_PublishedAtSessionEnd() =>
        AssertScenarioAsync(fixture.Broker, Script, "delay_capped_by_session_expiry");

    [Fact(Timeout = 90_000)]
    public Task Will_DelayWithSessionExpiryZero_PublishedAtOnce() =>
        AssertScenarioAsync(fixture.Broker, Script, "delay_with_session_expiry_zero");
}
