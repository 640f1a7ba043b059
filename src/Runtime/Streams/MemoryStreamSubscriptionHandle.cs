using Bifro.Streams;

namespace Bifro.Runtime.Streams;

/// <summary>A subscription of a memory stream provider, by handle id; the subscription itself lives in the provider.</summary>
internal sealed class MemoryStreamSubscriptionHandle<T> : StreamSubscriptionHandle<T>
{
    private readonly MemoryStreamProvider _provider;

    public MemoryStreamSubscriptionHandle(MemoryStreamProvider provider, StreamId streamId, Guid handleId, bool isImplicit = false)
    {
        _provider = provider;
        StreamId = streamId;
        HandleId = handleId;
        IsImplicit = isImplicit;
    }

    /// <summary>From [ImplicitStreamSubscription]: resumed by the consumer grain wherever it lives, never unsubscribed.</summary>
    public bool IsImplicit { get; }

    public override StreamId StreamId { get; }

    public override string ProviderName => _provider.Name;

    public override Guid HandleId { get; }

    public override Task UnsubscribeAsync()
    {
        try
        {
            return _provider.UnsubscribeAsync(HandleId, IsImplicit);
        }
        catch (Exception exception)
        {
            return Task.FromException(exception);
        }
    }

    /// <summary>Attaches <paramref name="observer"/>; tokens are ignored (the provider is not rewindable).</summary>
    public override Task<StreamSubscriptionHandle<T>> ResumeAsync(IAsyncObserver<T> observer, StreamSequenceToken? token = null)
    {
        try
        {
            _provider.Resume(HandleId, observer, IsImplicit);
            return Task.FromResult<StreamSubscriptionHandle<T>>(this);
        }
        catch (Exception exception)
        {
            return Task.FromException<StreamSubscriptionHandle<T>>(exception);
        }
    }

    public override string ToString() => $"Subscription {HandleId} to {StreamId} ({ProviderName})";
}
