using Bifro.Streams;

namespace Bifro.Runtime.Streams;

/// <summary>A stream of a memory stream provider: a light handle on the provider's state for the stream.</summary>
internal sealed class MemoryAsyncStream<T> : IAsyncStream<T>
{
    private readonly MemoryStreamProvider _provider;

    public MemoryAsyncStream(MemoryStreamProvider provider, StreamId streamId)
    {
        _provider = provider;
        StreamId = streamId;
    }

    public StreamId StreamId { get; }

    public string ProviderName => _provider.Name;

    public bool IsRewindable => false;

    public Task OnNextAsync(T item, StreamSequenceToken? token = null)
    {
        _provider.Produce(StreamId, StreamEventKind.Next, item, null);
        return Task.CompletedTask;
    }

    public Task OnNextBatchAsync(IEnumerable<T> batch, StreamSequenceToken? token = null)
    {
        ArgumentNullException.ThrowIfNull(batch);
        foreach (var item in batch)
        {
            _provider.Produce(StreamId, StreamEventKind.Next, item, null);
        }

        return Task.CompletedTask;
    }

    public Task OnCompletedAsync()
    {
        _provider.Produce(StreamId, StreamEventKind.Completed, null, null);
        return Task.CompletedTask;
    }

    public Task OnErrorAsync(Exception ex)
    {
        ArgumentNullException.ThrowIfNull(ex);
        _provider.Produce(StreamId, StreamEventKind.Error, null, ex);
        return Task.CompletedTask;
    }

    public Task<StreamSubscriptionHandle<T>> SubscribeAsync(IAsyncObserver<T> observer) => SubscribeAsync(observer, null);

    /// <summary>Subscribes; <paramref name="token"/> and <paramref name="filterData"/> are ignored (not rewindable, no filters).</summary>
    public Task<StreamSubscriptionHandle<T>> SubscribeAsync(IAsyncObserver<T> observer, StreamSequenceToken? token, string? filterData = null)
    {
        try
        {
            return _provider.SubscribeAsync(StreamId, observer);
        }
        catch (Exception exception)
        {
            return Task.FromException<StreamSubscriptionHandle<T>>(exception);
        }
    }

    public Task<IList<StreamSubscriptionHandle<T>>> GetAllSubscriptionHandles() =>
        Task.FromResult(_provider.GetSubscriptionHandles<T>(StreamId));

    public bool Equals(IAsyncStream<T>? other) =>
        other is not null && other.StreamId == StreamId && string.Equals(other.ProviderName, ProviderName, StringComparison.Ordinal);

    public override bool Equals(object? obj) => obj is IAsyncStream<T> other && Equals(other);

    public override int GetHashCode() => HashCode.Combine(StreamId, ProviderName);

    public override string ToString() => $"{ProviderName}:{StreamId}";
}
