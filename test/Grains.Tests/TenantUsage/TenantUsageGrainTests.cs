using Bifro.TestKit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Xunit;

namespace Bifro.Grains.Tests.TenantUsage;

/// <summary>MaxConnections across the cluster: slots per session, leases per node, renewal and resync.</summary>
public sealed class TenantUsageGrainTests : IAsyncLifetime
{
    private const int Lease = 30;
    private readonly ManualTimeProvider _time = new();
    private TestSilo _silo = null!;

    public async Task InitializeAsync() =>
        _silo = await TestSilo.StartAsync(services: services => services.Replace(ServiceDescriptor.Singleton<TimeProvider>(_time)));

    public async Task DisposeAsync() => await _silo.DisposeAsync();

    [Fact(Timeout = 30_000)]
    public async Task Acquire_UpToTheLimit_ThenRefused()
    {
        var usage = Usage();

        Assert.True(await usage.TryAcquireConnectionAsync("n1", "acme/a", "c1", 2, Lease));
        Assert.True(await usage.TryAcquireConnectionAsync("n2", "acme/b", "c2", 2, Lease));
        Assert.False(await usage.TryAcquireConnectionAsync("n1", "acme/c", "c3", 2, Lease));
        Assert.Equal(2, await usage.CountConnectionsAsync());
    }

    [Fact(Timeout = 30_000)]
    public async Task Acquire_NoLimit_AlwaysCounted()
    {
        var usage = Usage();

        for (var i = 0; i < 5; i++)
        {
            Assert.True(await usage.TryAcquireConnectionAsync("n1", $"acme/{i}", $"c{i}", 0, Lease));
        }

        Assert.Equal(5, await usage.CountConnectionsAsync());
    }

    [Fact(Timeout = 30_000)]
    public async Task Release_FreesTheSlot()
    {
        var usage = Usage();
        await usage.TryAcquireConnectionAsync("n1", "acme/a", "c1", 1, Lease);

        await usage.ReleaseConnectionAsync("acme/a", "c1");

        await Eventually.TrueAsync(async () => await usage.CountConnectionsAsync() == 0);
        Assert.True(await usage.TryAcquireConnectionAsync("n1", "acme/b", "c2", 1, Lease));
    }

    [Fact(Timeout = 30_000)]
    public async Task Takeover_SameSessionAtTheLimit_KeepsItsSlotAndTheOldReleaseIsIgnored()
    {
        var usage = Usage();
        await usage.TryAcquireConnectionAsync("n1", "acme/a", "old", 1, Lease);

        var reconnected = await usage.TryAcquireConnectionAsync("n2", "acme/a", "new", 1, Lease);
        await usage.ReleaseConnectionAsync("acme/a", "old");

        Assert.True(reconnected);
        Assert.Equal(1, await usage.CountConnectionsAsync());
        Assert.False(await usage.TryAcquireConnectionAsync("n1", "acme/b", "c2", 1, Lease));
    }

    [Fact(Timeout = 30_000)]
    public async Task Lease_NodeStopsRenewing_LosesItsSlots()
    {
        var usage = Usage();
        await usage.TryAcquireConnectionAsync("n1", "acme/a", "c1", 2, Lease);
        await usage.TryAcquireConnectionAsync("n2", "acme/b", "c2", 2, Lease);

        _time.Advance(TimeSpan.FromSeconds(20));
        Assert.True(await usage.RenewConnectionsAsync("n2", 1, Lease));
        _time.Advance(TimeSpan.FromSeconds(15));

        Assert.Equal(1, await usage.CountConnectionsAsync());
        Assert.True(await usage.TryAcquireConnectionAsync("n2", "acme/c", "c3", 2, Lease));
    }

    [Fact(Timeout = 30_000)]
    public async Task Renew_CountDiffers_FalseAndSyncReplacesTheNodesSlots()
    {
        var usage = Usage();
        await usage.TryAcquireConnectionAsync("n1", "acme/a", "c1", 0, Lease);
        await usage.TryAcquireConnectionAsync("n1", "acme/b", "c2", 0, Lease);
        await usage.TryAcquireConnectionAsync("n2", "acme/x", "cx", 0, Lease);

        Assert.False(await usage.RenewConnectionsAsync("n1", 3, Lease));
        await usage.SyncConnectionsAsync("n1", [new("acme/b", "c2"), new("acme/c", "c3"), new("acme/d", "c4"), new("acme/x", "stale")], Lease);

        Assert.True(await usage.RenewConnectionsAsync("n1", 3, Lease));
        Assert.Equal(4, await usage.CountConnectionsAsync()); // b, c, d on n1; x stays with n2
    }

    [Fact(Timeout = 30_000)]
    public async Task Renew_UnknownNodeWithSlots_AsksForASync()
    {
        // After the grain reactivated elsewhere it knows nothing: an edge with slots must send them.
        Assert.False(await Usage().RenewConnectionsAsync("n1", 2, Lease));
        Assert.True(await Usage().RenewConnectionsAsync("n9", 0, Lease));
    }

    private ITenantUsageGrain Usage() => _silo.GrainFactory.GetGrain<ITenantUsageGrain>("acme-" + Guid.NewGuid().ToString("N"));
}
