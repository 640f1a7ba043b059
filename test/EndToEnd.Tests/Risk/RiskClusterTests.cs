using Bifro.TestKit;
using Xunit;
using static Bifro.EndToEnd.Tests.Clients.Paho;

namespace Bifro.EndToEnd.Tests.Risk;

/// <summary>
/// Two nodes (silo + edge each) in one cluster on PostgreSQL, as separate processes: a ban made because of what one
/// node saw closes a connection on the other.
/// </summary>
[Trait("Category", "EndToEnd")]
[Trait("Category", "Cluster")]
public sealed class RiskClusterTests
{
    [Fact(Timeout = 180_000)]
    public async Task MalformedConnectsToNodeB_ClientOnNodeA_KickedWith0x98()
    {
        var database = await PostgresServer.CreateDatabaseAsync("bifro_risk");
        await Bifro.Runtime.Providers.Postgres.PostgresSchema.ApplyAsync(database);
        var clusterId = $"risk-{Guid.NewGuid():N}"[..16];
        await using var a = await BrokerProcess.StartAsync(null, NodeArguments(database, clusterId, "node-a"));
        await using var b = await BrokerProcess.StartAsync(null, NodeArguments(database, clusterId, "node-b"));
        // Node a lists both silos as active: b's edge can reach the deny list, and a's replica hears of new bans.
        await a.Process.WaitForLineAsync(
            line => line.Contains("Membership changed", StringComparison.Ordinal) && line.Split(" Active").Length == 3,
            TimeSpan.FromSeconds(60));

        await AssertScenarioAsync(a, "risk.py", "kicked_when_banned", Parameters(("count", 5), ("malformed_port", b.Port)));
    }

    private static string[] NodeArguments(string database, string clusterId, string name) =>
    [
        .. RiskEndToEndTests.RiskArguments(TimeSpan.FromMinutes(5)),
        "--auth", "allow-all",
        "--Bifro:Cluster:Provider=postgres",
        $"--Bifro:Cluster:Postgres:ConnectionString={database}",
        $"--Bifro:Cluster:ClusterId={clusterId}",
        $"--Bifro:Cluster:ServiceId={clusterId}",
        "--Bifro:Cluster:Transport:BindAddress=127.0.0.1",
        $"--Bifro:Cluster:Transport:SiloPort={FreePort.Next()}",
        $"--Bifro:Cluster:Transport:GatewayPort={FreePort.Next()}",
        $"--Bifro:Node:Name={name}",
    ];
}
