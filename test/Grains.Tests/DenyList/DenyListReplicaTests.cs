using System.Net;
using Bifro.Hosting;
using Bifro.TestKit;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Bifro.Grains.Tests.DenyList;

public sealed class DenyListReplicaTests
{
    private static Task<TestSilo> StartAsync(ManualTimeProvider? time = null) =>
        TestSilo.StartAsync(
            silo => silo.AddMqttGrains().AddDenyListReplica(),
            services =>
            {
                if (time is not null)
                {
                    services.AddSingleton<TimeProvider>(time);
                }
            });

    private static DenyListReplica Replica(TestSilo silo) => silo.Services.GetRequiredService<DenyListReplica>();

    [Fact(Timeout = 30_000)]
    public async Task Load_ThenBanAdded_FoundWithoutAskingTheGrainAndAnnounced()
    {
        await using var silo = await StartAsync();
        var replica = Replica(silo);
        var announced = new TaskCompletionSource<(string, BanEntry)>(TaskCreationOptions.RunContinuationsAsynchronously);
        replica.BanAdded += (scope, ban) => announced.TrySetResult((scope, ban));
        await replica.LoadAsync("acme");
        Assert.Null(replica.Find("acme", "c1", null, null));

        var added = await silo.GrainFactory.GetGrain<IDenyListGrain>("acme").AddAsync(new BanRequest { Kind = BanKind.ClientId, Value = "c1" });

        var (scope, ban) = await announced.Task.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal("acme", scope);
        Assert.Equal(added.Id, ban.Id);
        Assert.Equal(added.Id, replica.Find("acme", "c1", null, null)?.Id);
        Assert.Null(replica.Find("other-tenant", "c1", null, null));
    }

    [Fact(Timeout = 30_000)]
    public async Task Find_ByUserAddressAndPrefix_MatchesOnlyWhatIsBanned()
    {
        await using var silo = await StartAsync();
        var list = silo.GrainFactory.GetGrain<IDenyListGrain>(DenyListScopes.Cluster);
        await list.AddAsync(new BanRequest { Kind = BanKind.User, Value = "mallory" });
        await list.AddAsync(new BanRequest { Kind = BanKind.Address, Value = "203.0.113.7" });
        await list.AddAsync(new BanRequest { Kind = BanKind.Cidr, Value = "2001:db8::/32" });
        var replica = Replica(silo);

        var user = await replica.FindAsync(DenyListScopes.Cluster, "any", "mallory", "192.0.2.1");
        var address = await replica.FindAsync(DenyListScopes.Cluster, "any", "bob", "::ffff:203.0.113.7");
        var prefix = await replica.FindAsync(DenyListScopes.Cluster, "any", "bob", "2001:db8:1::5");
        var none = await replica.FindAsync(DenyListScopes.Cluster, "any", "bob", "203.0.113.8");

        Assert.Equal(BanKind.User, user?.Kind);
        Assert.Equal(BanKind.Address, address?.Kind);
        Assert.Equal(BanKind.Cidr, prefix?.Kind);
        Assert.Null(none);
    }

    [Fact(Timeout = 30_000)]
    public async Task Ban_PastItsTtl_NoLongerFound()
    {
        var time = new ManualTimeProvider();
        await using var silo = await StartAsync(time);
        await silo.GrainFactory.GetGrain<IDenyListGrain>("acme").AddAsync(new BanRequest { Kind = BanKind.Address, Value = "192.0.2.9", Duration = TimeSpan.FromMinutes(1) });
        var replica = Replica(silo);
        Assert.NotNull(await replica.FindAsync("acme", null, null, "192.0.2.9"));

        time.Advance(TimeSpan.FromSeconds(61));

        Assert.Null(replica.Find("acme", null, null, IPAddress.Parse("192.0.2.9")));
    }

    [Fact(Timeout = 30_000)]
    public async Task BanRemoved_NoLongerFound()
    {
        await using var silo = await StartAsync();
        var list = silo.GrainFactory.GetGrain<IDenyListGrain>("acme");
        var ban = await list.AddAsync(new BanRequest { Kind = BanKind.ClientId, Value = "c1" });
        var replica = Replica(silo);
        Assert.NotNull(await replica.FindAsync("acme", "c1", null, null));

        await list.RemoveAsync(ban.Id);

        await Eventually.TrueAsync(() => replica.Find("acme", "c1", null, null) is null, TimeSpan.FromSeconds(10));
    }
}
