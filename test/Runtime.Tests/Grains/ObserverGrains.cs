using Bifro.Runtime.Activation;

namespace Bifro.Runtime.Tests.Grains;

/// <summary>An observer: an object outside the grain world that grains call back.</summary>
public interface IMessageObserver : IGrainObserver
{
    Task ReceiveAsync(string message);
}

public interface IObserverHubGrain : IGrainWithStringKey
{
    Task SetObserverAsync(IMessageObserver observer);

    Task NotifyAsync(string message);
}

public sealed class ObserverHubGrain : Grain, IObserverHubGrain
{
    private IMessageObserver? _observer;

    public Task SetObserverAsync(IMessageObserver observer)
    {
        _observer = observer;
        return Task.CompletedTask;
    }

    public Task NotifyAsync(string message) =>
        (_observer ?? throw new InvalidOperationException("No observer set.")).ReceiveAsync(message);
}

/// <summary>Records what it receives, with whether it ran outside any grain's turn.</summary>
public sealed class RecordingObserver : IMessageObserver
{
    private readonly Probe _probe;

    public RecordingObserver(Probe probe) => _probe = probe;

    public Task ReceiveAsync(string message)
    {
        _probe.Record($"received:{message}");
        _probe.Record(ActivationContext.Current is null ? "outside-grain" : "inside-grain");
        return Task.CompletedTask;
    }
}
