using Bifro.EndToEnd.Tests.Fixtures;
using Xunit;
using static Bifro.EndToEnd.Tests.Clients.Paho;

namespace Bifro.EndToEnd.Tests.WithPaho;

/// <summary>PUBLISH properties end to end (python/message_properties.py).</summary>
[Trait("Category", "EndToEnd")]
public sealed class PahoMessagePropertiesTests(BrokerFixture fixture) : IClassFixture<BrokerFixture>
{
    private const string Script = "message_properties.py";

    [Fact(Timeout = 90_000)]
    public Task Publish_WithEveryPassThroughProperty_ArrivesUnchangedToTransientAndPersistentSubscribers() =>
        AssertScenarioAsync(fixture.Broker, Script, "pass_through");

    [Fact(Timeout = 90_000)]
    public Task Publish_RetainedWithProperties_LaterSubscriberGetsThemUnchanged() =>
        AssertScenarioAsync(fixture.Broker, Script, "pass_through_retained");

    [Fact(Timeout = 90_000)]
    public Task Publish_WithMessageExpiry_SubscriberSeesRemainingIntervalAtMostSent() =>
        AssertScenarioAsync(fixture.Broker, Script, "message_expiry_remaining");

    [Fact(Timeout = 90_000)]
    public Task Subscribe_WithSubscriptionIdentifier_DeliveredWithTheMessage() =>
        AssertScenarioAsync(fixture.Broker, Script, "subscription_identifiers");

    [Fact(Timeout = 90_000)]
    public Task Subscribe_TwoOverlappingWithIdentifiers_OneCopyCarriesBoth() =>
        AssertScenarioAsync(fixture.Broker, Script, "subscription_identifiers_overlap");

    [Fact(Timeout = 90_000)]
    public Task Subscribe_TwoOverlappingWithIdentifiersPersistentSession_OneCopyCarriesBoth() =>
        AssertScenarioAsync(fixture.Broker, Script, "subscription_identifiers_overlap_persistent");

    [Fact(Timeout = 90_000)]
    public Task Subscribe_NoLocal_PublisherDoesNotGetItsOwnMessageOthersDo() =>
        AssertScenarioAsync(fixture.Broker, Script, "no_local");
}
