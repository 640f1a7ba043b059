namespace Bifro.Runtime.Tests.Grains;

public interface IFilterGrain : IGrainWithStringKey
{
    Task<int> EchoAsync(int value);

    Task FailAsync(string message);

    Task<int> CallOtherAsync(string otherKey, int value);
}

/// <summary>A grain with its own incoming filter, which records "grain-filter" to the probe of its key.</summary>
public sealed class FilterGrain : Grain, IFilterGrain, IIncomingGrainCallFilter
{
    private readonly Probe _probe;

    public FilterGrain() => _probe = Probe.For(this.GetPrimaryKeyString());

    public async Task Invoke(IIncomingGrainCallContext context)
    {
        _probe.Record("grain-filter");
        await context.Invoke();
    }

    public Task<int> EchoAsync(int value)
    {
        _probe.Record($"method:{value}");
        return Task.FromResult(value);
    }

    public Task FailAsync(string message) => throw new TestException(message);

    public Task<int> CallOtherAsync(string otherKey, int value) => GrainFactory.GetGrain<IFilterGrain>(otherKey).EchoAsync(value);
}
