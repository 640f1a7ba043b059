using Bifro.EndToEnd.Tests.Fixtures;
using Xunit;
using static Bifro.EndToEnd.Tests.Clients.Paho;

namespace Bifro.EndToEnd.Tests.WithPaho;

/// <summary>The client's Maximum Packet Size and Receive Maximum, honoured by the server (python/flow_control.py).</summary>
[Trait("Category", "EndToEnd")]
public sealed class PahoFlowControlTests(BrokerFixture fixture) : IClassFixture<BrokerFixture>
{
    private const string Script = "flow_control.py";

    [Fact(Timeout = 90_000)]
    public Task Publish_LargerThanSubscriberMaximumPacketSize_DroppedAndSmallerOneStillArrives() =>
        AssertScenarioAsync(fixture.Broker, Script, "client_maximum_packet_size");

    [Fact(Timeout = 90_000)]
    public Task Publish_TooLargeForSubscriberUsingTopicAliases_NextMessageTopicStillResolvable() =>
        AssertScenarioAsync(fixture.Broker, Script, "client_maximum_packet_size_with_alias");

    [Fact(Timeout = 90_000)]
    public Task Publish_SubscriberReceiveMaximumOneWithPubAcksHeld_OneMessageInFlightAtATime() =>
        AssertScenarioAsync(fixture.Broker, Script, "receive_maximum_outbound");

    [Fact(Timeout = 90_000)]
    public Task Publish_PersistentSubscriberReceiveMaximumOneWithPubAcksHeld_OneMessageInFlightAtATime() =>
        AssertScenarioAsync(fixture.Broker, Script, "receive_maximum_outbound_persistent");
}
