using Bifro.EndToEnd.Tests.Fixtures;
using Xunit;
using static Bifro.EndToEnd.Tests.Clients.Paho;

namespace Bifro.EndToEnd.Tests.WithPaho;

/// <summary>Retain Handling, Retain As Published and shared subscriptions (python/retain.py).</summary>
[Trait("Category", "EndToEnd")]
public sealed class PahoRetainTests(BrokerFixture fixture) : IClassFixture<BrokerFixture>
{
    private const string Script = "retain.py";

    [Fact(Timeout = 90_000)]
    public Task Subscribe_RetainHandling0_RetainedSentAtEverySubscribe() =>
        AssertScenarioAsync(fixture.Broker, Script, "handling_0");

    [Fact(Timeout = 90_000)]
    public Task Subscribe_RetainHandling1_RetainedSentOnlyForNewSubscription() =>
        AssertScenarioAsync(fixture.Broker, Script, "handling_1");

    [Fact(Timeout = 90_000)]
    public Task Subscribe_RetainHandling1PersistentSession_RetainedSentOnlyForNewSubscription() =>
        AssertScenarioAsync(fixture.Broker, Script, "handling_1_persistent");

    [Fact(Timeout = 90_000)]
    public Task Subscribe_RetainHandling2_RetainedNeverSent() =>
        AssertScenarioAsync(fixture.Broker, Script, "handling_2");

    [Fact(Timeout = 90_000)]
    public Task Publish_RetainedToLiveSubscribers_RetainFlagKeptOnlyWithRetainAsPublished() =>
        AssertScenarioAsync(fixture.Broker, Script, "retain_as_published");

    [Fact(Timeout = 90_000)]
    public Task Subscribe_SharedSubscription_NoRetainedMessageSent() =>
        AssertScenarioAsync(fixture.Broker, Script, "shared_subscription_no_retained");
}
