using Bifro.EndToEnd.Tests.Fixtures;
using Xunit;
using static Bifro.EndToEnd.Tests.Clients.Paho;

namespace Bifro.EndToEnd.Tests.WithPaho;

/// <summary>Topic aliases both ways (python/topic_alias.py; paho 1.6.1 does not resolve aliases itself, the script does).</summary>
[Trait("Category", "EndToEnd")]
public sealed class PahoTopicAliasTests(BrokerFixture fixture) : IClassFixture<BrokerFixture>
{
    private const string Script = "topic_alias.py";

    [Fact(Timeout = 90_000)]
    public Task TopicAlias_FromClientWithTopicThenAliasOnly_DeliveredWithFullTopic() =>
        AssertScenarioAsync(fixture.Broker, Script, "client_to_server");

    [Fact(Timeout = 90_000)]
    public Task TopicAlias_SubscriberWithTopicAliasMaximum_FirstMessageSetsAliasLaterOnesUseIt() =>
        AssertScenarioAsync(fixture.Broker, Script, "server_to_client");

    [Fact(Timeout = 90_000)]
    public Task TopicAlias_SubscriberWithoutTopicAliasMaximum_NeverGetsAnAlias() =>
        AssertScenarioAsync(fixture.Broker, Script, "server_alias_not_sent_without_maximum");
}
