using Bifro.Silo.Configuration;
using Microsoft.Extensions.Configuration;
using Xunit;

namespace Bifro.Silo.Tests.Configuration;

/// <summary>The node knows the events, risk and event stream keys, so that a typo among them is warned about, and checks their values at start.</summary>
public sealed class SettingsCatalogEventsTests
{
    [Theory]
    [InlineData("Bifro:Events:Collectors:0", true)]
    [InlineData("Bifro:Events:PublishSampling", true)]
    [InlineData("Bifro:Events:Webhook:Url", true)]
    [InlineData("Bifro:Events:Webhook:Headers:Authorization", true)]
    [InlineData("Bifro:Events:Plugins:sleepy:TypeName", true)]
    [InlineData("Bifro:Events:Log:Exclude:0", true)]
    [InlineData("Bifro:Events:Webhook:Retries", false)]
    [InlineData("Bifro:Risk:ExemptAddresses:0", true)]
    [InlineData("Bifro:Risk:Rules:malformed:BanDuration", true)]
    [InlineData("Bifro:Risk:Rules:malformed:Events:0", true)]
    [InlineData("Bifro:Risk:Rules:malformed:Threshold", false)]
    [InlineData("Bifro:Streams:events:NodeBufferSize", true)]
    [InlineData("Bifro:Streams:events:Size", false)]
    public void Exists_EventAndRiskKeys(string key, bool expected) =>
        Assert.Equal(expected, SettingsCatalog.Exists(key));

    [Theory]
    [InlineData("Bifro:Events:CollectorQueueSize", "0", "Bifro:Events:CollectorQueueSize")]
    [InlineData("Bifro:Risk:Rules:bad:Count", "0", "Bifro:Risk:Rules:bad")]
    [InlineData("Bifro:Streams:events:BufferSize", "0", "Bifro:Streams:events:BufferSize")]
    public void Read_BadValue_StopsTheNodeNamingTheKey(string key, string value, string named)
    {
        var errors = new List<string>();
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection([new("Bifro:Auth:Provider", "allow-all"), new(key, value)])
            .Build();

        NodeSettings.Read(configuration, errors);

        Assert.Contains(errors, e => e.Contains(named, StringComparison.Ordinal));
    }
}
