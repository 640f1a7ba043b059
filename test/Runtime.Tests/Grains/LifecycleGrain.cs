using Bifro.Runtime.Activation;

namespace Bifro.Runtime.Tests.Grains;

public interface ILifecycleGrain : IGrainWithStringKey
{
    Task<int> CallAsync();

    Task SetAsync(int value);

    Task<int> GetAsync();

    Task DeactivateAsync();

    Task DelayDeactivationAsync(TimeSpan delay);
}

/// <summary>Reports its lifecycle to the probe of its key: activate (with the state read), calls, deactivate (with the reason).</summary>
public sealed class LifecycleGrain : Grain, ILifecycleGrain
{
    private readonly IPersistentState<CounterState> _state;
    private readonly Probe _probe;

    public LifecycleGrain([PersistentState("lifecycle")] IPersistentState<CounterState> state)
    {
        _state = state;
        _probe = Probe.For(this.GetPrimaryKeyString());
    }

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _probe.Record($"activate:{_state.State.Value}");
        _probe.Record(ActivationContext.Current == GrainContext ? "activate-on-turn" : "activate-off-turn");
        return Task.CompletedTask;
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        _probe.Record($"deactivate:{reason.ReasonCode}");
        return Task.CompletedTask;
    }

    public Task<int> CallAsync()
    {
        _probe.Record("call");
        return Task.FromResult(_probe.CountPrefix("activate:"));
    }

    public async Task SetAsync(int value)
    {
        _state.State.Value = value;
        await _state.WriteStateAsync();
    }

    public Task<int> GetAsync() => Task.FromResult(_state.State.Value);

    public Task DeactivateAsync()
    {
        DeactivateOnIdle();
        return Task.CompletedTask;
    }

    public Task DelayDeactivationAsync(TimeSpan delay)
    {
        DelayDeactivation(delay);
        return Task.CompletedTask;
    }
}
