using Bifro.Hosting;
using Bifro.Runtime.Tests.Grains;
using Bifro.TestKit;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Bifro.Runtime.Tests.Storage;

/// <summary>The rules every grain storage provider keeps; each provider's test class runs them.</summary>
public abstract class GrainStorageTests
{
    /// <summary>Adds the provider under test as the default storage.</summary>
    protected abstract void AddStorage(ISiloBuilder silo);

    protected Task<TestSilo> StartAsync(Action<ISiloBuilder>? configure = null) => TestSilo.StartAsync(silo =>
    {
        AddStorage(silo);
        configure?.Invoke(silo);
    });

    protected static IGrainStorage Storage(TestSilo silo) =>
        silo.Services.GetRequiredKeyedService<IGrainStorage>(ProviderConstants.DefaultStorageProviderName);

    protected static GrainId NewGrainId() => GrainId.Create("lifecycle", Probe.NewKey());

    protected static IGrainCollectionStorage Collections(TestSilo silo) =>
        silo.Services.GetRequiredKeyedService<IGrainCollectionStorage>(ProviderConstants.DefaultStorageProviderName);

    [Fact(Timeout = 30_000)]
    public async Task Collection_WrittenBatch_NewActivationLoadsExactlyWhatWasWritten()
    {
        await using var silo = await StartAsync();
        var grain = silo.GrainFactory.GetGrain<ICollectionGrain>(Probe.NewKey());
        await grain.SetAsync("b", "2");
        await grain.SetAsync("a", "1");
        await grain.SetAsync("c", "3");
        await grain.SaveAsync();
        Assert.True(await grain.RemoveAsync("b"));
        await grain.SetAsync("a", "1bis");
        await grain.SaveAsync();
        await grain.SetAsync("unsaved", "x");

        await grain.DeactivateAsync();
        var catalog = silo.Services.GetRequiredService<Bifro.Runtime.Activation.Catalog>();
        await Eventually.TrueAsync(() => !catalog.TryGet(grain.GetGrainId(), out _));

        Assert.Equal(new Dictionary<string, string> { ["a"] = "1bis", ["c"] = "3" }, await grain.GetAllAsync());
    }

    [Fact(Timeout = 30_000)]
    public async Task Collection_Clear_RemovesEveryItem()
    {
        await using var silo = await StartAsync();
        var storage = Collections(silo);
        var id = NewGrainId();
        await storage.WriteAsync("items", id, [new CollectionChange("k1", [1]), new CollectionChange("k2", [2])]);
        await storage.WriteAsync("other", id, [new CollectionChange("k1", [9])]);

        await storage.ClearAsync("items", id);

        Assert.Empty(await storage.ReadAllAsync("items", id));
        Assert.Single(await storage.ReadAllAsync("other", id));
    }

    [Fact(Timeout = 30_000)]
    public async Task Collection_ReadAll_ReturnsItemsInKeyOrder()
    {
        await using var silo = await StartAsync();
        var storage = Collections(silo);
        var id = NewGrainId();
        await storage.WriteAsync("items", id, [new CollectionChange("0002", [2]), new CollectionChange("0010", [10]), new CollectionChange("0001", [1])]);
        await storage.WriteAsync("items", id, [new CollectionChange("0010", null)]);

        var items = await storage.ReadAllAsync("items", id);

        Assert.Equal(["0001", "0002"], items.Select(i => i.Key));
        Assert.Equal([(byte)1], items[0].Value);
    }

    [Fact(Timeout = 30_000)]
    public async Task WriteState_ThenNewActivation_ReadsItBack()
    {
        await using var silo = await StartAsync();
        var key = Probe.NewKey();
        var grain = silo.GrainFactory.GetGrain<ILifecycleGrain>(key);
        await grain.SetAsync(12);

        await grain.DeactivateAsync();
        await Probe.For(key).WaitForPrefixAsync("deactivate:");

        Assert.Equal(12, await grain.GetAsync());
        Assert.Equal(["activate:0", "activate:12"], Probe.For(key).WithPrefix("activate:"));
    }

    [Fact(Timeout = 30_000)]
    public async Task WriteState_EachWrite_AdvancesTheEtag()
    {
        await using var silo = await StartAsync();
        var storage = Storage(silo);
        var id = NewGrainId();
        var state = new TestGrainState<CounterState>(new CounterState { Value = 1, History = ["a"] });

        await storage.WriteStateAsync("s", id, state);
        var first = state.ETag;
        await storage.WriteStateAsync("s", id, state);

        Assert.Equal("1", first);
        Assert.Equal("2", state.ETag);
        Assert.True(state.RecordExists);
        var read = new TestGrainState<CounterState>(new CounterState());
        await storage.ReadStateAsync("s", id, read);
        Assert.Equal(("2", true, 1, "a"), (read.ETag, read.RecordExists, read.State.Value, Assert.Single(read.State.History)));
    }

    [Fact(Timeout = 30_000)]
    public async Task WriteState_TwoWritersFromTheSameRead_SecondThrowsInconsistentState()
    {
        await using var silo = await StartAsync();
        var storage = Storage(silo);
        var id = NewGrainId();
        await storage.WriteStateAsync("s", id, new TestGrainState<CounterState>(new CounterState { Value = 1 }));
        var first = new TestGrainState<CounterState>(new CounterState());
        var second = new TestGrainState<CounterState>(new CounterState());
        await storage.ReadStateAsync("s", id, first);
        await storage.ReadStateAsync("s", id, second);

        first.State.Value = 2;
        await storage.WriteStateAsync("s", id, first);
        second.State.Value = 3;
        var exception = await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteStateAsync("s", id, second));

        Assert.Equal("2", exception.StoredEtag);
        Assert.Equal("1", exception.CurrentEtag);
        var read = new TestGrainState<CounterState>(new CounterState());
        await storage.ReadStateAsync("s", id, read);
        Assert.Equal(2, read.State.Value);
    }

    [Fact(Timeout = 30_000)]
    public async Task WriteState_NoEtagButARecordExists_ThrowsInconsistentState()
    {
        await using var silo = await StartAsync();
        var storage = Storage(silo);
        var id = NewGrainId();
        await storage.WriteStateAsync("s", id, new TestGrainState<CounterState>(new CounterState { Value = 1 }));

        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteStateAsync("s", id, new TestGrainState<CounterState>(new CounterState { Value = 2 })));
    }

    [Fact(Timeout = 30_000)]
    public async Task WriteState_EtagButNoRecord_ThrowsInconsistentState()
    {
        await using var silo = await StartAsync();

        await Assert.ThrowsAsync<InconsistentStateException>(
            () => Storage(silo).WriteStateAsync("s", NewGrainId(), new TestGrainState<CounterState>(new CounterState(), etag: "4")));
    }

    [Fact(Timeout = 30_000)]
    public async Task ClearState_CurrentEtag_RemovesTheRecord()
    {
        await using var silo = await StartAsync();
        var storage = Storage(silo);
        var id = NewGrainId();
        var state = new TestGrainState<CounterState>(new CounterState { Value = 5 });
        await storage.WriteStateAsync("s", id, state);

        await storage.ClearStateAsync("s", id, state);

        Assert.Equal((null, false, 0), (state.ETag, state.RecordExists, state.State.Value));
        var read = new TestGrainState<CounterState>(new CounterState { Value = 99 });
        await storage.ReadStateAsync("s", id, read);
        Assert.Equal((null, false, 0), (read.ETag, read.RecordExists, read.State.Value));

        // A cleared record is written again as a new one.
        await storage.WriteStateAsync("s", id, state);
        Assert.True(state.RecordExists);
    }

    [Fact(Timeout = 30_000)]
    public async Task ClearState_StaleEtag_ThrowsInconsistentState()
    {
        await using var silo = await StartAsync();
        var storage = Storage(silo);
        var id = NewGrainId();
        var stale = new TestGrainState<CounterState>(new CounterState());
        await storage.WriteStateAsync("s", id, stale);
        var current = new TestGrainState<CounterState>(new CounterState());
        await storage.ReadStateAsync("s", id, current);
        await storage.WriteStateAsync("s", id, current);

        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.ClearStateAsync("s", id, stale));
        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.ClearStateAsync("s", id, new TestGrainState<CounterState>(new CounterState())));
    }

    [Fact(Timeout = 30_000)]
    public async Task ClearState_NoRecord_Succeeds()
    {
        await using var silo = await StartAsync();

        await Storage(silo).ClearStateAsync("s", NewGrainId(), new TestGrainState<CounterState>(new CounterState()));
    }

    [Fact(Timeout = 30_000)]
    public async Task WriteState_EtagFromBeforeAClearAndARewrite_ThrowsInconsistentState()
    {
        await using var silo = await StartAsync();
        var storage = Storage(silo);
        var id = NewGrainId();
        var stale = new TestGrainState<CounterState>(new CounterState { Value = 1 });
        await storage.WriteStateAsync("s", id, stale);
        var other = new TestGrainState<CounterState>(new CounterState());
        await storage.ReadStateAsync("s", id, other);

        await storage.ClearStateAsync("s", id, other);
        await storage.WriteStateAsync("s", id, other);

        // The record now is another writer's: the old etag must not match it, though it was version 1 too.
        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteStateAsync("s", id, stale));
    }

    [Fact(Timeout = 30_000)]
    public async Task ReadState_StateNamesAndGrains_AreStoredApart()
    {
        await using var silo = await StartAsync();
        var storage = Storage(silo);
        var id = NewGrainId();
        var otherId = GrainId.Create("counter", id.Key);
        await storage.WriteStateAsync("a", id, new TestGrainState<CounterState>(new CounterState { Value = 1 }));
        await storage.WriteStateAsync("b", id, new TestGrainState<CounterState>(new CounterState { Value = 2 }));
        await storage.WriteStateAsync("a", otherId, new TestGrainState<CounterState>(new CounterState { Value = 3 }));

        Assert.Equal(1, await ReadValueAsync(storage, "a", id));
        Assert.Equal(2, await ReadValueAsync(storage, "b", id));
        Assert.Equal(3, await ReadValueAsync(storage, "a", otherId));
    }

    [Fact(Timeout = 30_000)]
    public async Task WriteState_StateHoldsAGrainReference_ReadsBackACallableReference()
    {
        await using var silo = await StartAsync();
        var storage = Storage(silo);
        var id = NewGrainId();
        var counter = silo.GrainFactory.GetGrain<ICounterGrain>(Probe.NewKey());
        await counter.AddAsync(4);
        await storage.WriteStateAsync("refs", id, new TestGrainState<ReferenceState>(new ReferenceState { Counter = counter, Note = "n" }));

        var read = new TestGrainState<ReferenceState>(new ReferenceState());
        await storage.ReadStateAsync("refs", id, read);

        Assert.Equal(counter.GetGrainId(), read.State.Counter!.GetGrainId());
        Assert.Equal(4, await read.State.Counter!.GetAsync());
    }

    protected static async Task<int> ReadValueAsync(IGrainStorage storage, string stateName, GrainId id)
    {
        var state = new TestGrainState<CounterState>(new CounterState());
        await storage.ReadStateAsync(stateName, id, state);
        return state.State.Value;
    }
}
