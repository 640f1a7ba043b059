using Bifro.Silo.Configuration;
using Microsoft.Extensions.Configuration;
using Xunit;

namespace Bifro.Silo.Tests.Configuration;

/// <summary>The node knows the tenant settings and the new providers' keys, so that a typo among them is warned about.</summary>
public sealed class SettingsCatalogTenantTests
{
    [Theory]
    [InlineData("Bifro:Tenants:Default:MsgPubPerSec", true)]
    [InlineData("Bifro:Tenants:acme:MaxConnections", true)]
    [InlineData("Bifro:Tenants:acme:RetainEnabled", true)]
    [InlineData("Bifro:Tenants:acme:MaxConection", false)]
    [InlineData("Bifro:Auth:Postgres:CacheTtl", true)]
    [InlineData("Bifro:Auth:Http:Headers:Authorization", true)]
    [InlineData("Bifro:Auth:Http:Timeout", false)]
    [InlineData("Bifro:Auth:Scram:Store", true)]
    [InlineData("Bifro:Auth:Scram:AllowPlainPassword", true)]
    public void Exists_TenantAndProviderKeys(string key, bool expected) =>
        Assert.Equal(expected, SettingsCatalog.Exists(key));

    [Fact]
    public void Read_BadTenantSetting_StopsTheNodeNamingTheKey()
    {
        var errors = new List<string>();
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection([new("Bifro:Auth:Provider", "allow-all"), new("Bifro:Tenants:acme:MaxTopicLevels", "0")])
            .Build();

        NodeSettings.Read(configuration, errors);

        Assert.Contains(errors, e => e.Contains("Bifro:Tenants:acme:MaxTopicLevels", StringComparison.Ordinal));
    }
}
