using Bifro.EndToEnd.Tests.Fixtures;
using Xunit;
using static Bifro.EndToEnd.Tests.Clients.Paho;

namespace Bifro.EndToEnd.Tests.WithPaho;

/// <summary>DISCONNECT from the server with a reason code, and Request Problem Information (python/disconnects.py).</summary>
[Trait("Category", "EndToEnd")]
public sealed class PahoDisconnectTests(BrokerFixture fixture) : IClassFixture<BrokerFixture>
{
    private const string Script = "disconnects.py";

    [Fact(Timeout = 90_000)]
    public Task Connect_SameClientIdentifierTwice_FirstGetsDisconnect0x8EWithReasonString() =>
        AssertScenarioAsync(fixture.Broker, Script, "takeover");

    [Fact(Timeout = 90_000)]
    public Task KeepAlive_ClientSilentForOneAndAHalfPeriods_Disconnect0x8D() =>
        AssertScenarioAsync(fixture.Broker, Script, "keep_alive_timeout");

    [Fact(Timeout = 90_000)]
    public Task KeepAlive_ClientPingsWithinPeriod_StaysConnected() =>
        AssertScenarioAsync(fixture.Broker, Script, "keep_alive_pings");

    [Fact(Timeout = 90_000)]
    public Task Subscribe_SharedWithNoLocal_Disconnect0x82() =>
        AssertScenarioAsync(fixture.Broker, Script, "shared_no_local");

    [Fact(Timeout = 90_000)]
    public Task SubAck_FailureWithRequestProblemInformation0_HasNoReasonString() =>
        AssertScenarioAsync(fixture.Broker, Script, "problem_information_off");
}
