using Bifro.Grains;
using Bifro.MqttEdge.Delivery;
using Bifro.MqttEdge.Limits;
using Bifro.Runtime;
using Bifro.Runtime.Messaging;
using Bifro.TestKit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit;

namespace Bifro.Silo.Tests.Limits;

/// <summary>The edge's side of MaxConnections against a real TenantUsage grain: acquire, release, takeover, renewal and resync.</summary>
public sealed class TenantConnectionLeasesTests : IAsyncLifetime
{
    private TestSilo _silo = null!;
    private TenantConnectionLeases _leases = null!;
    private string _tenant = null!;

    public async Task InitializeAsync()
    {
        _silo = await TestSilo.StartAsync();
        var node = new EdgeNode(_silo.Services.GetRequiredService<ILocalSiloDetails>());
        _leases = new TenantConnectionLeases(_silo.GrainFactory, node, TimeProvider.System, NullLogger<TenantConnectionLeases>.Instance);
        _tenant = "t" + Guid.NewGuid().ToString("N");
    }

    public async Task DisposeAsync()
    {
        _leases.Dispose();
        await _silo.DisposeAsync();
    }

    [Fact(Timeout = 30_000)]
    public async Task Acquire_UpToTheLimit_ReleaseFreesASlot()
    {
        Assert.True(await _leases.TryAcquireAsync(_tenant, $"{_tenant}/a", "n/1", 2));
        Assert.True(await _leases.TryAcquireAsync(_tenant, $"{_tenant}/b", "n/2", 2));
        Assert.False(await _leases.TryAcquireAsync(_tenant, $"{_tenant}/c", "n/3", 2));

        _leases.Release(_tenant, $"{_tenant}/a", "n/1");

        await Eventually.TrueAsync(async () => await Usage().CountConnectionsAsync() == 1);
        Assert.True(await _leases.TryAcquireAsync(_tenant, $"{_tenant}/c", "n/3", 2));
    }

    [Fact(Timeout = 30_000)]
    public async Task Release_ByAConnectionTakenOver_KeepsTheNewConnectionsSlot()
    {
        await _leases.TryAcquireAsync(_tenant, $"{_tenant}/a", "n/old", 1);
        await _leases.TryAcquireAsync(_tenant, $"{_tenant}/a", "n/new", 1);

        _leases.Release(_tenant, $"{_tenant}/a", "n/old");
        await _leases.RenewAsync();

        Assert.Equal(1, await Usage().CountConnectionsAsync());
        Assert.False(await _leases.TryAcquireAsync(_tenant, $"{_tenant}/b", "n/2", 1));
    }

    [Fact(Timeout = 30_000)]
    public async Task Renew_GrainLostCount_SendsTheFullList()
    {
        await _leases.TryAcquireAsync(_tenant, $"{_tenant}/a", "n/1", 0);
        await _leases.TryAcquireAsync(_tenant, $"{_tenant}/b", "n/2", 0);
        var node = _silo.Services.GetRequiredService<ILocalSiloDetails>().NodeIdentity;

        // As if the grain had reactivated elsewhere and forgotten this node's slots.
        await Usage().SyncConnectionsAsync(node, [], TenantConnectionLeases.LeaseSeconds);
        Assert.Equal(0, await Usage().CountConnectionsAsync());

        await _leases.RenewAsync();

        Assert.Equal(2, await Usage().CountConnectionsAsync());
    }

    private ITenantUsageGrain Usage() => _silo.GrainFactory.GetGrain<ITenantUsageGrain>(_tenant);

    [Fact(Timeout = 120_000)]
    [Trait("Category", "Postgres")]
    public async Task Acquire_OnTwoSilos_OneCountForTheCluster()
    {
        await using var cluster = await TestCluster.StartAsync(2);
        var leases = cluster.Silos.Select(host => new TenantConnectionLeases(
            host.Services.GetRequiredService<IGrainFactory>(),
            new EdgeNode(host.Services.GetRequiredService<ILocalSiloDetails>()),
            TimeProvider.System,
            NullLogger<TenantConnectionLeases>.Instance)).ToArray();
        try
        {
            Assert.True(await leases[0].TryAcquireAsync(_tenant, $"{_tenant}/a", "0/1", 2));
            Assert.True(await leases[1].TryAcquireAsync(_tenant, $"{_tenant}/b", "1/1", 2));
            Assert.False(await leases[1].TryAcquireAsync(_tenant, $"{_tenant}/c", "1/2", 2));
            Assert.False(await leases[0].TryAcquireAsync(_tenant, $"{_tenant}/c", "0/2", 2));

            // A client that moves to the other node takes its slot along.
            Assert.True(await leases[1].TryAcquireAsync(_tenant, $"{_tenant}/a", "1/3", 2));
            leases[0].Release(_tenant, $"{_tenant}/a", "0/1");
            await leases[0].RenewAsync();
            await leases[1].RenewAsync();
            Assert.Equal(2, await cluster.Factory(0).GetGrain<ITenantUsageGrain>(_tenant).CountConnectionsAsync());
        }
        finally
        {
            foreach (var lease in leases)
            {
                lease.Dispose();
            }
        }
    }
}
