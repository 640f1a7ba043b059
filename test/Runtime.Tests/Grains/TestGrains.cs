using Bifro.Runtime;

namespace Bifro.Runtime.Tests.Grains;

[GenerateSerializer]
public sealed class CounterState
{
    [Id(0)]
    public int Value { get; set; }

    [Id(1)]
    public List<string> History { get; set; } = new();
}

public sealed class TestException : Exception
{
    public TestException(string message)
        : base(message)
    {
    }
}

public interface ICounterGrain : IGrainWithStringKey
{
    Task<int> AddAsync(int amount);

    Task<int> GetAsync();

    Task SaveAsync();

    Task ThrowAsync(string message);

    Task<string?> GetContextValueAsync(string key);

    Task<string> GetIdentityAsync();

    Task DeactivateAsync();
}

public sealed class CounterGrain : Grain, ICounterGrain
{
    private readonly IPersistentState<CounterState> _state;

    public CounterGrain([PersistentState("counter")] IPersistentState<CounterState> state) => _state = state;

    public static int Activations;

    public static int Deactivations;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref Activations);
        return Task.CompletedTask;
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref Deactivations);
        return Task.CompletedTask;
    }

    public Task<int> AddAsync(int amount)
    {
        _state.State.Value += amount;
        return Task.FromResult(_state.State.Value);
    }

    public Task<int> GetAsync() => Task.FromResult(_state.State.Value);

    public Task SaveAsync() => _state.WriteStateAsync();

    public Task ThrowAsync(string message) => throw new TestException(message);

    public Task<string?> GetContextValueAsync(string key) => Task.FromResult(RequestContext.Get(key) as string);

    public Task<string> GetIdentityAsync() => Task.FromResult(IdentityString);

    public Task DeactivateAsync()
    {
        DeactivateOnIdle();
        return Task.CompletedTask;
    }
}
