using Bifro.Runtime.Activation;
using Bifro.Runtime.Membership;
using Bifro.Runtime.Tests.Grains;
using Bifro.Runtime.Transport;
using Bifro.TestKit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Xunit;

namespace Bifro.Runtime.Tests.Cluster;

/// <summary>Silos in one process, on a real PostgreSQL, talking over the real silo transport.</summary>
[Trait("Category", "Cluster")]
public sealed class ClusterTests
{
    [Fact(Timeout = 120_000)]
    public async Task Call_FromEverySilo_ReachesOneActivation()
    {
        await using var cluster = await TestCluster.StartAsync(3);
        var key = Guid.NewGuid().ToString("N");

        for (var silo = 0; silo < 3; silo++)
        {
            await cluster.Factory(silo).GetGrain<ICounterGrain>(key).AddAsync(1);
        }

        Assert.Equal(3, await cluster.Factory(0).GetGrain<ICounterGrain>(key).GetAsync());
        var grainId = cluster.Factory(0).GetGrain<ICounterGrain>(key).GetGrainId();
        Assert.Equal(1, cluster.Silos.Count(host => Catalog(host).TryGet(grainId, out _)));
    }

    [Fact(Timeout = 120_000)]
    public async Task Call_GrainOnAnotherSiloThrows_ExceptionKeepsItsType()
    {
        await using var cluster = await TestCluster.StartAsync(2);
        var (caller, key) = await KeyOwnedByOtherSiloAsync(cluster);

        var exception = await Assert.ThrowsAsync<TestException>(() => cluster.Factory(caller).GetGrain<ICounterGrain>(key).ThrowAsync("remote boom"));

        Assert.Equal("remote boom", exception.Message);
    }

    [Fact(Timeout = 120_000)]
    public async Task Observer_OnAnotherSilo_ReceivesTheGrainsCall()
    {
        await using var cluster = await TestCluster.StartAsync(2);
        var (caller, key) = await KeyOwnedByOtherSiloAsync(cluster);
        var received = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        var observer = new CallbackObserver(received);
        var reference = cluster.Factory(caller).CreateObjectReference<IMessageObserver>(observer);
        var hub = cluster.Factory(caller).GetGrain<IObserverHubGrain>(key);

        await hub.SetObserverAsync(reference);
        await hub.NotifyAsync("across silos");

        Assert.Equal("across silos", await received.Task.WaitAsync(TimeSpan.FromSeconds(10)));
    }

    [Fact(Timeout = 120_000)]
    public async Task SiloStops_ItsGrainComesBackElsewhereFromStorage()
    {
        await using var cluster = await TestCluster.StartAsync(3);
        var key = Guid.NewGuid().ToString("N");
        var grain = cluster.Factory(0).GetGrain<ICounterGrain>(key);
        await grain.AddAsync(41);
        await grain.SaveAsync();
        var owner = Owner(cluster, grain.GetGrainId());
        var survivor = Enumerable.Range(0, 3).First(i => i != owner);

        await cluster.StopSiloAsync(owner);
        // Every silo left, not one: a silo whose view still has the stopped one forwards calls to it.
        await cluster.WaitForActiveAsync(2);

        Assert.Equal(42, await cluster.Factory(survivor).GetGrain<ICounterGrain>(key).AddAsync(1));
    }

    [Fact(Timeout = 180_000)]
    public async Task SiloJoins_NoDuplicateActivationSurvives()
    {
        await using var cluster = await TestCluster.StartAsync(2);
        var keys = Enumerable.Range(0, 60).Select(i => $"dup-{i}-{Guid.NewGuid():N}").ToArray();
        foreach (var key in keys)
        {
            await cluster.Factory(0).GetGrain<ICounterGrain>(key).AddAsync(1);
        }

        await cluster.AddSiloAsync();
        await cluster.WaitForActiveAsync(3);
        foreach (var key in keys)
        {
            // A call after the change lands on the grain's new owner.
            await cluster.Factory(1).GetGrain<ICounterGrain>(key).GetAsync();
        }

        var ids = keys.Select(k => cluster.Factory(0).GetGrain<ICounterGrain>(k).GetGrainId()).ToArray();
        await Eventually.TrueAsync(
            () => ids.All(id => cluster.Silos.Count(host => Catalog(host).TryGet(id, out var a) && a.State != ActivationState.Invalid) == 1),
            TimeSpan.FromSeconds(30),
            "every grain to have exactly one activation");
        foreach (var id in ids)
        {
            var holder = cluster.Silos.Single(host => Catalog(host).TryGet(id, out _));
            Assert.Equal(View(holder).OwnerOf(id), Local(holder));
        }
    }

    [Fact(Timeout = 120_000)]
    public async Task TwoClusters_OneDatabase_NeverSeeEachOther()
    {
        var database = await PostgresServer.CreateDatabaseAsync("bifro_isolation");
        await using var prod = await TestCluster.StartAsync(2, database, clusterId: "prod");
        await using var staging = await TestCluster.StartAsync(1, database, clusterId: "staging");

        Assert.All(prod.Silos, host => Assert.Equal(2, View(host).Silos.Count));
        Assert.All(staging.Silos, host => Assert.Single(View(host).Silos));
    }

    [Fact(Timeout = 120_000)]
    public async Task ConnectionFromAnotherCluster_IsRefusedAndCounted()
    {
        var database = await PostgresServer.CreateDatabaseAsync("bifro_refuse");
        await using var prod = await TestCluster.StartAsync(1, database, clusterId: "prod");
        await using var staging = await TestCluster.StartAsync(1, database, clusterId: "staging");
        var prodSilo = Local(prod.Silos[0]);
        var stagingConnections = staging.Silos[0].Services.GetRequiredService<ConnectionManager>();

        var connection = stagingConnections.GetSiloConnection(prodSilo);
        await Eventually.TrueAsync(() => connection.IsClosed, TimeSpan.FromSeconds(10));

        var refused = prod.Silos[0].Services.GetRequiredService<ConnectionManager>().RefusedPreambles
            + stagingConnections.RefusedPreambles;
        Assert.True(refused >= 1);
        Assert.False(connection.IsOpen);
    }

    private static async Task<(int Caller, string Key)> KeyOwnedByOtherSiloAsync(TestCluster cluster)
    {
        for (var i = 0; ; i++)
        {
            var key = $"remote-{i}-{Guid.NewGuid():N}";
            var id = cluster.Factory(0).GetGrain<ICounterGrain>(key).GetGrainId();
            if (!View(cluster.Silos[0]).OwnerOf(id)!.Equals(Local(cluster.Silos[0])))
            {
                await Task.CompletedTask;
                return (0, key);
            }
        }
    }

    private static int Owner(TestCluster cluster, GrainId id)
    {
        var owner = View(cluster.Silos[0]).OwnerOf(id);
        for (var i = 0; i < cluster.Silos.Count; i++)
        {
            if (Local(cluster.Silos[i]).Equals(owner))
            {
                return i;
            }
        }

        throw new InvalidOperationException("No owner.");
    }

    private static Catalog Catalog(IHost host) => host.Services.GetRequiredService<Catalog>();

    private static MembershipView View(IHost host) => host.Services.GetRequiredService<IMembershipViewProvider>().Current;

    private static SiloAddress Local(IHost host) => host.Services.GetRequiredService<Bifro.Runtime.Messaging.ILocalSiloDetails>().SiloAddress;

    private sealed class CallbackObserver(TaskCompletionSource<string> received) : IMessageObserver
    {
        public Task ReceiveAsync(string message)
        {
            received.TrySetResult(message);
            return Task.CompletedTask;
        }
    }
}
