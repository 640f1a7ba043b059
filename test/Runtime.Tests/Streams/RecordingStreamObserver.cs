using Bifro.Runtime.Activation;
using Bifro.Runtime.Tests.Grains;
using Bifro.Streams;

namespace Bifro.Runtime.Tests.Streams;

/// <summary>
/// An observer outside any grain: records "item:{x}", "completed" and "error:{type}:{message}" to a
/// probe, and "in-grain" if it is ever called inside a grain's turn.
/// </summary>
public sealed class RecordingStreamObserver<T> : IAsyncObserver<T>
{
    private readonly Probe _probe;

    public RecordingStreamObserver(Probe probe) => _probe = probe;

    public Task OnNextAsync(T item, StreamSequenceToken? token = null)
    {
        Check();
        _probe.Keep(item);
        _probe.Record($"item:{item}");
        return Task.CompletedTask;
    }

    public Task OnCompletedAsync()
    {
        Check();
        _probe.Record("completed");
        return Task.CompletedTask;
    }

    public Task OnErrorAsync(Exception ex)
    {
        Check();
        _probe.Record($"error:{ex.GetType().Name}:{ex.Message}");
        return Task.CompletedTask;
    }

    private void Check()
    {
        if (ActivationContext.Current is not null || TaskScheduler.Current != TaskScheduler.Default)
        {
            _probe.Record("in-grain");
        }
    }
}
