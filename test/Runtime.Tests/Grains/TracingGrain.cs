using System.Diagnostics;

namespace Bifro.Runtime.Tests.Grains;

/// <summary>Reports the span its calls run in, for the trace propagation tests.</summary>
public interface ITracingGrain : IGrainWithStringKey
{
    /// <summary>Activity.Current's W3C id while the call runs; null when untraced.</summary>
    Task<string?> CurrentSpanAsync();

    /// <summary>Calls <paramref name="other"/>'s <see cref="CurrentSpanAsync"/> and returns its answer.</summary>
    Task<string?> ForwardAsync(string other);
}

public sealed class TracingGrain : Grain, ITracingGrain
{
    public Task<string?> CurrentSpanAsync() => Task.FromResult(Activity.Current?.Id);

    public Task<string?> ForwardAsync(string other) => GrainFactory.GetGrain<ITracingGrain>(other).CurrentSpanAsync();
}
