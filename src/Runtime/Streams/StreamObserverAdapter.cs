using Bifro.Streams;

namespace Bifro.Runtime.Streams;

/// <summary>Calls a typed observer with the events of a subscription.</summary>
internal sealed class StreamObserverAdapter<T> : IStreamObserverAdapter
{
    private readonly IAsyncObserver<T> _observer;

    public StreamObserverAdapter(IAsyncObserver<T> observer)
    {
        ArgumentNullException.ThrowIfNull(observer);
        _observer = observer;
    }

    public Task DeliverAsync(StreamDeliveryItem item)
    {
        switch (item.Kind)
        {
            case StreamEventKind.Next:
                var token = new EventSequenceToken(item.SequenceNumber);
                if (item.Item is T value)
                {
                    return _observer.OnNextAsync(value, token);
                }

                if (item.Item is null && default(T) is null)
                {
                    return _observer.OnNextAsync(default!, token);
                }

                throw new InvalidCastException(
                    $"A stream item of type {item.Item?.GetType().ToString() ?? "null"} cannot be delivered to an observer of {typeof(T)}.");
            case StreamEventKind.Completed:
                return _observer.OnCompletedAsync();
            default:
                return _observer.OnErrorAsync(item.Error ?? new InvalidOperationException("The stream's producer reported an error."));
        }
    }
}
