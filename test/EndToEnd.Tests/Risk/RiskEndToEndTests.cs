using Bifro.EndToEnd.Tests.Clients;
using Bifro.TestKit;
using Xunit;
using static Bifro.EndToEnd.Tests.Clients.Paho;

namespace Bifro.EndToEnd.Tests.Risk;

/// <summary>
/// The risk detector and the deny list on a real node (python/risk.py with paho, raw sockets for the malformed
/// CONNECTs, mosquitto_sub for the Banned answer). Each test runs its own node: a ban of 127.0.0.1 would
/// refuse every other test's clients.
/// </summary>
[Trait("Category", "EndToEnd")]
public sealed class RiskEndToEndTests
{
    private const string Script = "risk.py";
    private const int Count = 5;

    /// <summary>A node whose only risk rule bans an address after <see cref="Count"/> malformed CONNECTs within a minute.</summary>
    public static string[] RiskArguments(TimeSpan banDuration) =>
    [
        "--Bifro:Risk:DefaultRules=false",
        "--Bifro:Risk:Rules:malformed:Events:0=ProtocolError",
        "--Bifro:Risk:Rules:malformed:Key=Address",
        $"--Bifro:Risk:Rules:malformed:Count={Count}",
        "--Bifro:Risk:Rules:malformed:Window=00:01:00",
        $"--Bifro:Risk:Rules:malformed:BanDuration={banDuration:c}",
        "--Bifro:Auth:FailedConnectDelayMin=00:00:00",
        "--Bifro:Auth:FailedConnectDelayMax=00:00:00",
    ];

    [Fact(Timeout = 120_000)]
    public async Task MalformedConnects_FromOneAddress_AddressBanned_NextConnectRefusedAsBanned()
    {
        await using var broker = await BrokerProcess.StartAsync(null, [.. RiskArguments(TimeSpan.FromMinutes(5)), "--auth", "allow-all"]);

        await AssertScenarioAsync(broker, Script, "banned_after_malformed", Parameters(("count", Count)));

        // mosquitto_sub, a client we did not write, is refused the same way: 5.0 "Banned", 3.1.1 return code 5.
        var v5 = await Mosquitto.SubscribeAsync(broker, "5", "-t", "x", "-C", "1", "-W", "5");
        Assert.NotEqual(0, v5.ExitCode);
        Assert.Contains("Banned", v5.StandardError + v5.StandardOutput, StringComparison.Ordinal);
        var v311 = await Mosquitto.SubscribeAsync(broker, "311", "-t", "x", "-C", "1", "-W", "5");
        Assert.NotEqual(0, v311.ExitCode);
        Assert.Contains("not authorised", v311.StandardError + v311.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("Risk rule malformed hit: banning Address 127.0.0.1", broker.Output, StringComparison.Ordinal);
    }

    [Fact(Timeout = 120_000)]
    public async Task Ban_AfterItsTimeToLive_TheClientConnectsAgain()
    {
        await using var broker = await BrokerProcess.StartAsync(null, [.. RiskArguments(TimeSpan.FromSeconds(4)), "--auth", "allow-all"]);

        await AssertScenarioAsync(broker, Script, "ban_expires", Parameters(("count", Count), ("ttl", 4)));
    }

    [Fact(Timeout = 120_000)]
    public async Task ConnectedClient_ItsAddressBanned_Disconnect0x98()
    {
        await using var broker = await BrokerProcess.StartAsync(null, [.. RiskArguments(TimeSpan.FromMinutes(5)), "--auth", "allow-all"]);

        await AssertScenarioAsync(broker, Script, "kicked_when_banned", Parameters(("count", Count)));
    }
}
