using Bifro.Configuration;
using Bifro.Hosting;
using Bifro.Runtime.Activation;
using Bifro.Runtime.Tests.Grains;
using Bifro.TestKit;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Bifro.Runtime.Tests.Activation;

public sealed class ActivationLifecycleTests
{
    private static GrainId LifecycleId(string key) => GrainId.Create("lifecycle", key);

    [Fact(Timeout = 30_000)]
    public async Task Call_NoActivation_ActivatesGrainOnFirstCall()
    {
        await using var silo = await TestSilo.StartAsync();
        var catalog = silo.Services.GetRequiredService<Catalog>();
        var key = Probe.NewKey();
        var grain = silo.GrainFactory.GetGrain<ILifecycleGrain>(key);

        Assert.False(catalog.TryGet(LifecycleId(key), out _));
        Assert.Equal(1, await grain.CallAsync());

        Assert.True(catalog.TryGet(LifecycleId(key), out var activation));
        Assert.Equal(ActivationState.Valid, activation.State);
        Assert.Equal(1, await grain.CallAsync());
    }

    [Fact(Timeout = 30_000)]
    public async Task OnActivateAsync_FirstCall_RunsBeforeTheCallAsATurn()
    {
        await using var silo = await TestSilo.StartAsync();
        var key = Probe.NewKey();

        await silo.GrainFactory.GetGrain<ILifecycleGrain>(key).CallAsync();

        Assert.Equal(["activate:0", "activate-on-turn", "call"], Probe.For(key).Events);
    }

    [Fact(Timeout = 30_000)]
    public async Task OnActivateAsync_StoredState_IsReadBeforeOnActivateAsync()
    {
        await using var silo = await TestSilo.StartAsync();
        var key = Probe.NewKey();
        var storage = silo.Services.GetRequiredKeyedService<IGrainStorage>(ProviderConstants.DefaultStorageProviderName);
        await storage.WriteStateAsync("lifecycle", LifecycleId(key), new TestGrainState<CounterState>(new CounterState { Value = 7 }));

        Assert.Equal(7, await silo.GrainFactory.GetGrain<ILifecycleGrain>(key).GetAsync());

        Assert.Equal("activate:7", Probe.For(key).Events[0]);
    }

    [Fact(Timeout = 30_000)]
    public async Task DeactivateOnIdle_AfterCall_RunsOnDeactivateAsync()
    {
        await using var silo = await TestSilo.StartAsync();
        var catalog = silo.Services.GetRequiredService<Catalog>();
        var key = Probe.NewKey();
        var grain = silo.GrainFactory.GetGrain<ILifecycleGrain>(key);

        await grain.DeactivateAsync();

        await Probe.For(key).WaitForAsync("deactivate:ApplicationRequested");
        await Eventually.TrueAsync(() => !catalog.TryGet(LifecycleId(key), out _));
    }

    [Fact(Timeout = 30_000)]
    public async Task OnDeactivateAsync_SiloStops_RunsForEveryActivation()
    {
        var keys = new[] { Probe.NewKey(), Probe.NewKey(), Probe.NewKey() };
        var silo = await TestSilo.StartAsync();
        foreach (var key in keys)
        {
            await silo.GrainFactory.GetGrain<ILifecycleGrain>(key).CallAsync();
        }

        await silo.DisposeAsync();

        foreach (var key in keys)
        {
            Assert.Equal(1, Probe.For(key).Count("deactivate:ShuttingDown"));
        }
    }

    [Fact(Timeout = 30_000)]
    public async Task IdleGrain_ShortCollectionAge_IsDeactivatedByTheCollector()
    {
        await using var silo = await TestSilo.StartAsync(s => s.Configure<GrainCollectionOptions>(o =>
        {
            o.CollectionAge = TimeSpan.FromMilliseconds(200);
            o.CollectionQuantum = TimeSpan.FromMilliseconds(100);
        }));
        var key = Probe.NewKey();

        await silo.GrainFactory.GetGrain<ILifecycleGrain>(key).CallAsync();

        await Probe.For(key).WaitForAsync("deactivate:ActivationIdle");
    }

    [Fact(Timeout = 30_000)]
    public async Task DelayDeactivation_IdleLongerThanCollectionAge_KeepsTheActivation()
    {
        // The background collector is off (a long quantum); the test sweeps itself, so it knows which
        // sweep saw both grains idle.
        await using var silo = await TestSilo.StartAsync(s => s.Configure<GrainCollectionOptions>(o =>
        {
            o.CollectionAge = TimeSpan.FromMilliseconds(1);
            o.CollectionQuantum = TimeSpan.FromHours(1);
        }));
        var catalog = silo.Services.GetRequiredService<Catalog>();
        var kept = Probe.NewKey();
        var control = Probe.NewKey();

        // The kept grain's last activity is earlier than the control's: any sweep that finds the control
        // idle long enough finds the kept grain idle longer.
        await silo.GrainFactory.GetGrain<ILifecycleGrain>(kept).DelayDeactivationAsync(TimeSpan.FromHours(1));
        await silo.GrainFactory.GetGrain<ILifecycleGrain>(control).CallAsync();
        catalog.TryGet(LifecycleId(kept), out var keptActivation);
        catalog.TryGet(LifecycleId(control), out var controlActivation);

        await Eventually.TrueAsync(() =>
        {
            catalog.CollectIdle();
            return controlActivation.State != ActivationState.Valid;
        });

        Assert.Equal(ActivationState.Valid, keptActivation.State);
        await Probe.For(control).WaitForAsync("deactivate:ActivationIdle");
        Assert.Equal(1, await silo.GrainFactory.GetGrain<ILifecycleGrain>(kept).CallAsync());
        Assert.Equal(0, Probe.For(kept).CountPrefix("deactivate"));
    }

    [Fact(Timeout = 30_000)]
    public async Task Call_AfterDeactivation_ReactivatesWithStateFromStorage()
    {
        await using var silo = await TestSilo.StartAsync();
        var key = Probe.NewKey();
        var grain = silo.GrainFactory.GetGrain<ILifecycleGrain>(key);
        await grain.SetAsync(42);

        await grain.DeactivateAsync();
        await Probe.For(key).WaitForAsync("deactivate:ApplicationRequested");

        Assert.Equal(42, await grain.GetAsync());
        Assert.Equal(["activate:0", "activate:42"], Probe.For(key).WithPrefix("activate:"));
    }
}
