using Bifro.Hosting;
using Bifro.TestKit;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Bifro.Grains.Tests.DenyList;

public sealed class DenyListGrainTests
{
    private static Task<TestSilo> StartAsync(ManualTimeProvider? time = null) =>
        TestSilo.StartAsync(
            silo => silo.AddMqttGrains(),
            services =>
            {
                if (time is not null)
                {
                    services.AddSingleton<TimeProvider>(time);
                }
            });

    [Fact(Timeout = 30_000)]
    public async Task Add_EveryKind_ListedInCanonicalForm()
    {
        await using var silo = await StartAsync();
        var list = silo.GrainFactory.GetGrain<IDenyListGrain>("acme");

        await list.AddAsync(new BanRequest { Kind = BanKind.ClientId, Value = "c1" });
        await list.AddAsync(new BanRequest { Kind = BanKind.User, Value = "mallory" });
        await list.AddAsync(new BanRequest { Kind = BanKind.Address, Value = "::ffff:203.0.113.7" });
        await list.AddAsync(new BanRequest { Kind = BanKind.Cidr, Value = "198.51.100.77/24" });

        var bans = await list.ListAsync();
        Assert.Equal(["c1", "mallory", "203.0.113.7", "198.51.100.0/24"], bans.Select(b => b.Value));
        Assert.All(bans, b => Assert.StartsWith("ban-", b.Id, StringComparison.Ordinal));
        Assert.Equal(4, bans.Select(b => b.Id).Distinct().Count());
    }

    [Theory(Timeout = 30_000)]
    [InlineData(BanKind.Address, "not-an-address")]
    [InlineData(BanKind.Cidr, "10.0.0.0/33")]
    [InlineData(BanKind.ClientId, "")]
    public async Task Add_InvalidValue_Throws(BanKind kind, string value)
    {
        await using var silo = await StartAsync();
        var list = silo.GrainFactory.GetGrain<IDenyListGrain>("acme");

        await Assert.ThrowsAsync<ArgumentException>(() => list.AddAsync(new BanRequest { Kind = kind, Value = value }));
        Assert.Empty(await list.ListAsync());
    }

    [Fact(Timeout = 30_000)]
    public async Task Add_SameClientTwice_ReplacedAndKeepsItsId()
    {
        await using var silo = await StartAsync();
        var list = silo.GrainFactory.GetGrain<IDenyListGrain>("acme");

        var first = await list.AddAsync(new BanRequest { Kind = BanKind.ClientId, Value = "c1", Reason = "first" });
        var second = await list.AddAsync(new BanRequest { Kind = BanKind.ClientId, Value = "c1", Reason = "second", Duration = TimeSpan.FromHours(1) });

        Assert.Equal(first.Id, second.Id);
        var ban = Assert.Single(await list.ListAsync());
        Assert.Equal("second", ban.Reason);
        Assert.NotNull(ban.ExpiresAt);
    }

    [Fact(Timeout = 30_000)]
    public async Task Remove_ById_GoneAndUnknownIdIsFalse()
    {
        await using var silo = await StartAsync();
        var list = silo.GrainFactory.GetGrain<IDenyListGrain>("acme");
        var ban = await list.AddAsync(new BanRequest { Kind = BanKind.User, Value = "mallory" });

        Assert.True(await list.RemoveAsync(ban.Id));
        Assert.False(await list.RemoveAsync(ban.Id));
        Assert.Empty(await list.ListAsync());
    }

    [Fact(Timeout = 30_000)]
    public async Task Ban_PastItsTtl_NoLongerListed()
    {
        var time = new ManualTimeProvider();
        await using var silo = await StartAsync(time);
        var list = silo.GrainFactory.GetGrain<IDenyListGrain>("acme");
        await list.AddAsync(new BanRequest { Kind = BanKind.ClientId, Value = "short", Duration = TimeSpan.FromSeconds(30) });
        await list.AddAsync(new BanRequest { Kind = BanKind.ClientId, Value = "long" });

        time.Advance(TimeSpan.FromSeconds(31));

        Assert.Equal(["long"], (await list.ListAsync()).Select(b => b.Value));
    }

    [Fact(Timeout = 60_000)]
    public async Task Bans_AfterARestart_ReadBackFromStorage()
    {
        var database = Path.Combine(Path.GetTempPath(), $"bifro-denylist-{Guid.NewGuid():N}.db");
        try
        {
            BanEntry ban;
            await using (var silo = await TestSilo.StartAsync(s => s.AddMqttGrains().AddSqliteGrainStorageAsDefault(o => o.DataSource = database)))
            {
                ban = await silo.GrainFactory.GetGrain<IDenyListGrain>("acme").AddAsync(
                    new BanRequest { Kind = BanKind.Cidr, Value = "10.1.0.0/16", Duration = TimeSpan.FromHours(1), Source = "admin" });
            }

            await using (var silo = await TestSilo.StartAsync(s => s.AddMqttGrains().AddSqliteGrainStorageAsDefault(o => o.DataSource = database)))
            {
                var stored = Assert.Single(await silo.GrainFactory.GetGrain<IDenyListGrain>("acme").ListAsync());
                Assert.Equal(ban.Id, stored.Id);
                Assert.Equal("admin", stored.Source);
                Assert.Equal(ban.ExpiresAt, stored.ExpiresAt);
            }
        }
        finally
        {
            File.Delete(database);
        }
    }
}
