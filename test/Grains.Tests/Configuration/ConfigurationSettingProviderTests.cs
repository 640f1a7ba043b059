using Bifro.Configuration;
using Microsoft.Extensions.Configuration;
using Xunit;

namespace Bifro.Grains.Tests.Configuration;

/// <summary>Tenant settings bound from "Bifro:Tenants": defaults, overlays, validation that names keys, reload.</summary>
public sealed class ConfigurationSettingProviderTests
{
    [Fact]
    public async Task NoConfiguration_BifroMqNamedDefaults()
    {
        var settings = await new ConfigurationSettingProvider(Configuration()).GetSettingsAsync("acme", default);

        Assert.Equal(16, settings.MaxTopicLevels);
        Assert.Equal(255, settings.MaxTopicLength);
        Assert.Equal(262_144, settings.MaxUserPayloadBytes);
        Assert.Equal(86_400u, settings.MaxSessionExpirySeconds);
        Assert.Equal(200, settings.ReceivingMaximum);
        Assert.Equal(1000, settings.SessionInboxSize);
        Assert.Equal(0, settings.MsgPubPerSec);
        Assert.Equal(0, settings.MaxConnections);
        Assert.Equal(0, settings.ConnectPerSecond);
        Assert.Equal(100, settings.MaxSubscriptionsPerSession);
        Assert.Equal(10, settings.MaxTopicFiltersPerSub);
        Assert.True(settings.RetainEnabled);
        Assert.Equal(0, settings.MaxRetainedTopics);
    }

    [Fact]
    public async Task TenantSection_OverlaysTheDefaultSection()
    {
        var provider = new ConfigurationSettingProvider(Configuration(
            ("Bifro:Tenants:Default:MaxTopicLevels", "8"),
            ("Bifro:Tenants:Default:MsgPubPerSec", "50"),
            ("Bifro:Tenants:acme:MsgPubPerSec", "5"),
            ("Bifro:Tenants:acme:RetainEnabled", "false"),
            ("Bifro:Tenants:globex:MaxConnections", "3")));

        var acme = await provider.GetSettingsAsync("acme", default);
        var globex = await provider.GetSettingsAsync("globex", default);
        var other = await provider.GetSettingsAsync("initech", default);

        Assert.Equal((8, 5, false, 0), (acme.MaxTopicLevels, acme.MsgPubPerSec, acme.RetainEnabled, acme.MaxConnections));
        Assert.Equal((8, 50, true, 3), (globex.MaxTopicLevels, globex.MsgPubPerSec, globex.RetainEnabled, globex.MaxConnections));
        Assert.Equal((8, 50, true, 0), (other.MaxTopicLevels, other.MsgPubPerSec, other.RetainEnabled, other.MaxConnections));
        Assert.Equal(["acme", "globex"], provider.ConfiguredTenants.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void DefaultTenant_TakesTheDefaultSection()
    {
        var provider = new ConfigurationSettingProvider(Configuration(("Bifro:Tenants:Default:MaxConnections", "7")));

        Assert.Equal(7, provider.Get(SessionKey.DefaultTenant).MaxConnections);
    }

    [Theory]
    [InlineData("Bifro:Tenants:acme:MaxTopicLevels", "0", "Bifro:Tenants:acme:MaxTopicLevels 0 must be at least 1")]
    [InlineData("Bifro:Tenants:Default:MaxTopicLength", "70000", "Bifro:Tenants:Default:MaxTopicLength 70000 must be between 1 and 65535")]
    [InlineData("Bifro:Tenants:acme:ReceivingMaximum", "0", "Bifro:Tenants:acme:ReceivingMaximum")]
    [InlineData("Bifro:Tenants:acme:MsgPubPerSec", "-1", "Bifro:Tenants:acme:MsgPubPerSec -1 must not be negative")]
    [InlineData("Bifro:Tenants:acme:MaxConnections", "many", "Bifro:Tenants:acme:MaxConnections")]
    [InlineData("Bifro:Tenants:acme:MaxConection", "1", "MaxConection")]
    [InlineData("Bifro:Tenants:acme:SessionInboxSize", "0", "Bifro:Tenants:acme:SessionInboxSize")]
    public void Validate_BadValue_NamesTheKey(string key, string value, string expected)
    {
        var errors = ConfigurationSettingProvider.Validate(Configuration((key, value)));

        Assert.Contains(errors, e => e.Contains(expected, StringComparison.Ordinal));
        Assert.Throws<InvalidOperationException>(() => new ConfigurationSettingProvider(Configuration((key, value))));
    }

    [Fact]
    public void Validate_GoodValues_NoErrors() =>
        Assert.Empty(ConfigurationSettingProvider.Validate(Configuration(("Bifro:Tenants:acme:MaxConnections", "2"), ("Bifro:Tenants:Default:RetainEnabled", "false"))));

    [Fact]
    public void Reload_GoodValuesApplyBadOnesAreIgnored()
    {
        var source = new Dictionary<string, string?> { ["Bifro:Tenants:acme:MaxConnections"] = "2" };
        var root = new ConfigurationBuilder().AddInMemoryCollection(source).Build();
        using var provider = new ConfigurationSettingProvider(root);

        root["Bifro:Tenants:acme:MaxConnections"] = "4";
        root.Reload();
        var afterGood = provider.Get("acme").MaxConnections;
        root["Bifro:Tenants:acme:MaxConnections"] = "-4";
        root.Reload();
        var afterBad = provider.Get("acme").MaxConnections;

        Assert.Equal(4, afterGood);
        Assert.Equal(4, afterBad);
    }

    private static IConfiguration Configuration(params (string Key, string Value)[] values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>(v.Key, v.Value))).Build();
}
