using Bifro.Streams;

namespace Bifro.Runtime.Streams;

/// <summary>Given to IStreamSubscriptionObserver.OnSubscribed: makes the handle of an implicit subscription, to resume.</summary>
internal sealed class ImplicitSubscriptionHandleFactory : IStreamSubscriptionHandleFactory
{
    private readonly MemoryStreamProvider _provider;
    private readonly Guid _handleId;

    public ImplicitSubscriptionHandleFactory(MemoryStreamProvider provider, StreamId streamId, Guid handleId)
    {
        _provider = provider;
        StreamId = streamId;
        _handleId = handleId;
    }

    public StreamId StreamId { get; }

    public string ProviderName => _provider.Name;

    public StreamSubscriptionHandle<T> Create<T>() => new MemoryStreamSubscriptionHandle<T>(_provider, StreamId, _handleId, isImplicit: true);
}
