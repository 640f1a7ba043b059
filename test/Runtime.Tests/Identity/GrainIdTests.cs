using Bifro.Runtime.Identity;
using Bifro.Runtime.Tests.Grains;
using Bifro.TestKit;
using Xunit;

namespace Bifro.Runtime.Tests.Identity;

public sealed class GrainIdTests
{
    [Fact]
    public void ToString_TypeAndKey_IsTypeSlashKey()
    {
        Assert.Equal("counter/a", GrainId.Create("counter", "a").ToString());
        Assert.Equal("sys.observer/127.0.0.1:0@0/x", GrainId.Create("sys.observer", "127.0.0.1:0@0/x").ToString());
    }

    [Fact]
    public void Parse_KeyWithSlashes_RoundTrips()
    {
        var id = GrainId.Parse("session/tenant-a/client/1");

        Assert.Equal("session", id.Type.Value);
        Assert.Equal("tenant-a/client/1", id.Key);
        Assert.Equal(id, GrainId.Parse(id.ToString()));
    }

    [Fact]
    public void Parse_EmptyKey_IsAllowed()
    {
        var id = GrainId.Parse("counter/");

        Assert.Equal("counter", id.Type.Value);
        Assert.Equal(string.Empty, id.Key);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("counter")]
    [InlineData("/key")]
    public void TryParse_NotTypeSlashKey_ReturnsFalse(string? value)
    {
        Assert.False(GrainId.TryParse(value, out _));
        if (value is not null)
        {
            Assert.Throws<FormatException>(() => GrainId.Parse(value));
        }
    }

    [Theory]
    [InlineData("", 0x02CC5D05u)]
    [InlineData("a", 0x550D7456u)]
    [InlineData("abc", 0x32D153FFu)]
    [InlineData("Nobody inspects the spammish repetition", 0xE2293B2Fu)]
    public void StableHash_KnownVectors_MatchXxHash32Seed0(string input, uint expected)
    {
        Assert.Equal(expected, StableHash.ComputeHash(input));
    }

    [Fact]
    public void GetUniformHashCode_GrainId_IsTypeHashTimes31PlusKeyHash()
    {
        // Orleans: GrainId hash = type.GetUniformHashCode() * 31 + key.GetUniformHashCode(), both XxHash32 of UTF-8.
        Assert.Equal(0x550D7456u, GrainType.Create("a").GetUniformHashCode());
        Assert.Equal(unchecked((0x550D7456u * 31) + 0x02CC5D05u), GrainId.Create("a", "").GetUniformHashCode());
        Assert.Equal(unchecked((0x32D153FFu * 31) + 0x550D7456u), GrainId.Create("abc", "a").GetUniformHashCode());
    }

    [Fact]
    public void GetUniformHashCode_NonAsciiKey_HashesUtf8()
    {
        var key = "tenant-ü";
        var utf8 = System.Text.Encoding.UTF8.GetBytes(key);

        Assert.Equal(StableHash.ComputeHash(utf8), StableHash.ComputeHash(key));
        Assert.Equal(unchecked((GrainType.Create("t").GetUniformHashCode() * 31) + StableHash.ComputeHash(utf8)), GrainId.Create("t", key).GetUniformHashCode());
    }

    [Fact]
    public void Equals_SameTypeAndKey_AreEqualWithEqualHashes()
    {
        var a = GrainId.Create("counter", "a");
        var b = GrainId.Parse("counter/a");

        Assert.Equal(a, b);
        Assert.True(a == b);
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
        Assert.NotEqual(a, GrainId.Create("counter", "A"));
        Assert.NotEqual(a, GrainId.Create("counters", "a"));
    }

    [Theory]
    [InlineData("CounterGrain", "counter")]
    [InlineData("ChatRoomGrain", "chatroom")]
    [InlineData("Grain", "grain")]
    [InlineData("Session", "session")]
    [InlineData("CacheGrain`1", "cache`1")]
    public void GetDefaultName_ClassName_LowercasedWithoutGrainSuffix(string className, string expected)
    {
        Assert.Equal(expected, GrainType.GetDefaultName(className));
    }

    [Fact]
    public void Create_TypeWithSlash_Throws()
    {
        Assert.Throws<ArgumentException>(() => GrainType.Create("a/b"));
    }

    [Fact(Timeout = 30_000)]
    public async Task GeneratedRegistration_CounterGrain_HasGrainTypeCounter()
    {
        await using var silo = await TestSilo.StartAsync();

        var grain = silo.GrainFactory.GetGrain<ICounterGrain>("k");

        Assert.Equal(GrainId.Create("counter", "k"), grain.GetGrainId());
        Assert.Equal("counter/k", await grain.GetIdentityAsync());
    }
}
