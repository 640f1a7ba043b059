using Bifro.Configuration;
using Bifro.TestKit;
using Xunit;

namespace Bifro.Grains.Tests.Events;

public sealed class RiskDetectorTests
{
    private static RiskRuleOptions Rule(string key, int count, params string[] events) => new()
    {
        Events = [.. events],
        Key = key,
        Count = count,
        Window = TimeSpan.FromMinutes(1),
        BanDuration = TimeSpan.FromMinutes(5),
    };

    private static Task<BanEntry[]> BansAsync(TestSilo silo, string scope) => silo.GrainFactory.GetGrain<IDenyListGrain>(scope).ListAsync();

    [Fact(Timeout = 60_000)]
    public async Task MalformedConnects_FromOneAddress_BanTheAddressClusterWide()
    {
        await using var silo = await EventSilo.StartAsync(risk: o => o.Rules["malformed"] = Rule("Address", 3, "ProtocolError"));
        var reporter = EventSilo.Reporter(silo);

        for (var i = 0; i < 3; i++)
        {
            reporter.Report(new ConnectionRefusedEvent { Type = EventType.ProtocolError, RemoteAddress = "192.0.2.50", RemotePort = 40000 + i });
        }

        await Eventually.TrueAsync(async () => (await BansAsync(silo, DenyListScopes.Cluster)).Length == 1, TimeSpan.FromSeconds(10));
        var ban = (await BansAsync(silo, DenyListScopes.Cluster)).Single();
        Assert.Equal(BanKind.Address, ban.Kind);
        Assert.Equal("192.0.2.50", ban.Value);
        Assert.Equal("rule:malformed", ban.Source);
        Assert.NotNull(ban.ExpiresAt);
        var status = await silo.GrainFactory.GetGrain<IRiskDetectorGrain>(EventStreams.ClusterKey).GetStatusAsync();
        Assert.Equal(1, status.Bans);
    }

    [Fact(Timeout = 60_000)]
    public async Task BelowTheCount_OtherTypesOrOtherAddresses_NoBan()
    {
        await using var silo = await EventSilo.StartAsync(risk: o => o.Rules["malformed"] = Rule("Address", 3, "ProtocolError"));
        var reporter = EventSilo.Reporter(silo);

        reporter.Report(new ConnectionRefusedEvent { Type = EventType.ProtocolError, RemoteAddress = "192.0.2.1" });
        reporter.Report(new ConnectionRefusedEvent { Type = EventType.ProtocolError, RemoteAddress = "192.0.2.1" });
        reporter.Report(new ConnectionRefusedEvent { Type = EventType.ProtocolError, RemoteAddress = "192.0.2.2" });
        reporter.Report(new ConnectionRefusedEvent { Type = EventType.Unauthenticated, RemoteAddress = "192.0.2.1" });

        var detector = silo.GrainFactory.GetGrain<IRiskDetectorGrain>(EventStreams.ClusterKey);
        await Eventually.TrueAsync(async () => (await detector.GetStatusAsync()).Received == 4, TimeSpan.FromSeconds(10));
        Assert.Empty(await BansAsync(silo, DenyListScopes.Cluster));
        Assert.Equal(2, (await detector.GetStatusAsync()).TrackedKeys);
    }

    [Fact(Timeout = 60_000)]
    public async Task ExemptAddress_NeverBanned()
    {
        await using var silo = await EventSilo.StartAsync(risk: o =>
        {
            o.Rules["malformed"] = Rule("Address", 2, "ProtocolError");
            o.ExemptAddresses = ["10.0.0.0/8"];
        });
        var reporter = EventSilo.Reporter(silo);

        for (var i = 0; i < 5; i++)
        {
            reporter.Report(new ConnectionRefusedEvent { Type = EventType.ProtocolError, RemoteAddress = "10.9.8.7" });
        }

        var detector = silo.GrainFactory.GetGrain<IRiskDetectorGrain>(EventStreams.ClusterKey);
        await Eventually.TrueAsync(async () => (await detector.GetStatusAsync()).Received == 5, TimeSpan.FromSeconds(10));
        Assert.Empty(await BansAsync(silo, DenyListScopes.Cluster));
    }

    [Fact(Timeout = 60_000)]
    public async Task Flapping_ByClientId_BansTheClientInItsTenant()
    {
        await using var silo = await EventSilo.StartAsync(risk: o => o.Rules["flapping"] = Rule("ClientId", 4, "ClientConnected"));
        var reporter = EventSilo.Reporter(silo);

        for (var i = 0; i < 4; i++)
        {
            reporter.Report(new ClientConnectedEvent { Type = EventType.ClientConnected, TenantId = "acme", ClientId = "flappy", RemoteAddress = "192.0.2.3" });
        }

        await Eventually.TrueAsync(async () => (await BansAsync(silo, "acme")).Length == 1, TimeSpan.FromSeconds(10));
        var ban = (await BansAsync(silo, "acme")).Single();
        Assert.Equal(BanKind.ClientId, ban.Kind);
        Assert.Equal("flappy", ban.Value);
        Assert.Empty(await BansAsync(silo, DenyListScopes.Cluster));
    }

    [Fact(Timeout = 60_000)]
    public async Task PrefixRule_BansTheCidr_AndTheBanIsReportedAsAnEvent()
    {
        var probe = new ProbeCollector();
        await using var silo = await EventSilo.StartAsync(
            risk: o => o.Rules["storm"] = Rule("AddressPrefix", 3, "Unauthenticated"),
            probe: probe);
        var reporter = EventSilo.Reporter(silo);

        reporter.Report(new ConnectionRefusedEvent { Type = EventType.Unauthenticated, RemoteAddress = "198.51.100.1", ClientId = "x" });
        reporter.Report(new ConnectionRefusedEvent { Type = EventType.Unauthenticated, RemoteAddress = "198.51.100.2", ClientId = "y" });
        reporter.Report(new ConnectionRefusedEvent { Type = EventType.Unauthenticated, RemoteAddress = "198.51.100.3", ClientId = "z" });

        await Eventually.TrueAsync(() => probe.Events.Any(e => e.Type == EventType.ClientBanned), TimeSpan.FromSeconds(10));
        var banned = (BanEvent)probe.Events.Single(e => e.Type == EventType.ClientBanned);
        Assert.Equal(BanKind.Cidr, banned.Ban.Kind);
        Assert.Equal("198.51.100.0/24", banned.Ban.Value);
        Assert.Equal(DenyListScopes.Cluster, banned.Scope);
        Assert.Equal("z", banned.ClientId);
        Assert.Equal(3, banned.Count);
    }
}
