using System.Net;
using Bifro.Configuration;
using Bifro.Grains.Events;
using Xunit;

namespace Bifro.Grains.Tests.Events;

public sealed class RiskWindowTests
{
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(10);

    [Fact]
    public void Add_CountEventsWithinTheWindow_Hit()
    {
        var window = new RiskWindow(3);

        Assert.False(window.Add(Seconds(0), Window));
        Assert.False(window.Add(Seconds(1), Window));
        Assert.True(window.Add(Seconds(2), Window));
    }

    [Fact]
    public void Add_EventsSpreadWiderThanTheWindow_NoHit()
    {
        var window = new RiskWindow(3);

        Assert.False(window.Add(Seconds(0), Window));
        Assert.False(window.Add(Seconds(6), Window));
        Assert.False(window.Add(Seconds(12), Window));
        Assert.False(window.Add(Seconds(18), Window));

        // The last three (12, 18, 20) fall within 10 seconds.
        Assert.True(window.Add(Seconds(20), Window));
    }

    [Fact]
    public void Reset_StartsCountingAgain()
    {
        var window = new RiskWindow(2);
        window.Add(Seconds(0), Window);
        Assert.True(window.Add(Seconds(1), Window));

        window.Reset();

        Assert.False(window.Add(Seconds(2), Window));
        Assert.True(window.Add(Seconds(3), Window));
    }

    [Theory]
    [InlineData("Address", "203.0.113.77", "203.0.113.77", BanKind.Address)]
    [InlineData("AddressPrefix", "203.0.113.77", "203.0.113.0/24", BanKind.Cidr)]
    [InlineData("AddressPrefix", "2001:db8:1:2:3::9", "2001:db8:1:2::/64", BanKind.Cidr)]
    [InlineData("AddressPrefix", "::ffff:198.51.100.9", "198.51.100.0/24", BanKind.Cidr)]
    public void Rule_AddressKeys(string key, string address, string expected, BanKind kind)
    {
        var rule = new RiskRule("r", new RiskRuleOptions { Events = ["BadPacket"], Key = key });

        Assert.Equal(expected, rule.KeyOf(new ClientDisconnectedEvent { Type = EventType.BadPacket, RemoteAddress = address }, out var parsed));
        Assert.NotNull(parsed);
        Assert.Equal(kind, rule.BanKind);
        Assert.Equal(DenyListScopes.Cluster, rule.ScopeFor(new ClientDisconnectedEvent { TenantId = "acme" }));
    }

    [Fact]
    public void Rule_ClientIdKey_BansInTheEventsTenant_OrClusterWideWithoutOne()
    {
        var rule = new RiskRule("r", new RiskRuleOptions { Events = ["ClientConnected"], Key = "ClientId" });

        Assert.Equal("c1", rule.KeyOf(new ClientConnectedEvent { ClientId = "c1" }, out _));
        Assert.Null(rule.KeyOf(new ClientConnectedEvent(), out _));
        Assert.Equal("acme", rule.ScopeFor(new ClientConnectedEvent { TenantId = "acme" }));
        Assert.Equal(DenyListScopes.Cluster, rule.ScopeFor(new ConnectionRefusedEvent()));
        Assert.True(rule.Counts(EventType.ClientConnected));
        Assert.False(rule.Counts(EventType.ByClient));
    }

    [Fact]
    public void Rule_UserKey_BeforeAuthenticationUsesTheConnectUserName()
    {
        var rule = new RiskRule("r", new RiskRuleOptions { Events = ["Unauthenticated"], Key = "User" });

        Assert.Equal("mallory", rule.KeyOf(new ConnectionRefusedEvent { Username = "mallory" }, out _));
        Assert.Equal("uid", rule.KeyOf(new ConnectionRefusedEvent { UserId = "uid", Username = "mallory" }, out _));
    }

    [Fact]
    public void Options_DefaultRulesValidate_AndAConfiguredRuleReplacesOrDisablesADefault()
    {
        var options = new RiskOptions();
        options.Rules["flapping"] = new RiskRuleOptions { Enabled = false };
        options.Rules["mine"] = new RiskRuleOptions { Events = ["Idle"], Key = "ClientId", Count = 3 };

        var rules = options.EffectiveRules();

        Assert.Equal(["auth-failures", "malformed-packets", "mine", "rate-limit"], rules.Keys.Order(StringComparer.Ordinal));
        Assert.True(new RiskOptionsValidator().Validate(null, options).Succeeded);
    }

    [Fact]
    public void Options_BadRule_NamesTheKey()
    {
        var options = new RiskOptions { DefaultRules = false, ExemptAddresses = ["nonsense"] };
        options.Rules["bad"] = new RiskRuleOptions { Events = ["NoSuchEvent"], Key = "Password", Count = 0 };

        var result = new RiskOptionsValidator().Validate(null, options);

        Assert.True(result.Failed);
        Assert.Contains(result.Failures!, f => f.Contains("Bifro:Risk:Rules:bad:Events", StringComparison.Ordinal));
        Assert.Contains(result.Failures!, f => f.Contains("Bifro:Risk:Rules:bad:Key", StringComparison.Ordinal));
        Assert.Contains(result.Failures!, f => f.Contains("Bifro:Risk:Rules:bad:Count", StringComparison.Ordinal));
        Assert.Contains(result.Failures!, f => f.Contains("Bifro:Risk:ExemptAddresses", StringComparison.Ordinal));
    }

    [Fact]
    public void PrefixOf_MasksTheHostBits()
    {
        Assert.Equal("10.1.2.0/24", BanValues.PrefixOf(IPAddress.Parse("10.1.2.3"), 24));
        Assert.Equal("10.0.0.0/9", BanValues.PrefixOf(IPAddress.Parse("10.127.2.3"), 9));
    }

    private static long Seconds(int s) => TimeSpan.FromSeconds(s).Ticks;
}
