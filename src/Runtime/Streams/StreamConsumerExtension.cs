using Bifro.Runtime.Activation;
using Bifro.Streams;

namespace Bifro.Runtime.Streams;

/// <summary>
/// The stream side of one activation: the observers its grain code attached, by subscription handle,
/// and which implicit subscriptions it has been told of. Created on demand, it lives and dies with the
/// activation, so a reactivated grain starts without observers and must resume its subscriptions.
/// Every member runs inside a turn of the activation, so nothing here needs a lock.
/// </summary>
internal sealed class StreamConsumerExtension : IStreamConsumerExtension
{
    private readonly ActivationData _activation;
    private Dictionary<Guid, IStreamObserverAdapter>? _observers;
    private HashSet<(string Provider, StreamId Stream)>? _implicitAnnounced;

    public StreamConsumerExtension(ActivationData activation) => _activation = activation;

    public void SetObserver(Guid handleId, IStreamObserverAdapter observer) => (_observers ??= new Dictionary<Guid, IStreamObserverAdapter>())[handleId] = observer;

    public void RemoveObserver(Guid handleId) => _observers?.Remove(handleId);

    public async Task<int> DeliverAsync(string providerName, StreamId streamId, Guid handleId, bool isImplicit, StreamDeliveryItem[] items)
    {
        var provider = (MemoryStreamProvider)_activation.ActivationServices.GetStreamProvider(providerName);
        if (isImplicit)
        {
            await AnnounceImplicitAsync(provider, streamId, handleId).ConfigureAwait(true);
        }

        var failed = 0;
        var unobserved = 0;
        foreach (var item in items)
        {
            // Looked up per event: an observer may unsubscribe, or resume with another observer, mid-batch.
            if (_observers is null || !_observers.TryGetValue(handleId, out var observer))
            {
                unobserved++;
                continue;
            }

            try
            {
                await observer.DeliverAsync(item).ConfigureAwait(true);
            }
            catch (Exception exception)
            {
                failed++;
                provider.LogObserverFailed(exception, handleId, streamId);
            }
        }

        if (unobserved > 0)
        {
            provider.LogNoObserver(unobserved, streamId, _activation.GrainId, handleId);
        }

        return failed + unobserved;
    }

    /// <summary>Tells the grain of an implicit subscription, once per activation, before its first event.</summary>
    private async Task AnnounceImplicitAsync(MemoryStreamProvider provider, StreamId streamId, Guid handleId)
    {
        var key = (provider.Name, streamId);
        if (!(_implicitAnnounced ??= []).Add(key) || _activation.GrainInstance is not IStreamSubscriptionObserver subscriber)
        {
            return;
        }

        try
        {
            await subscriber.OnSubscribed(new ImplicitSubscriptionHandleFactory(provider, streamId, handleId)).ConfigureAwait(true);
        }
        catch
        {
            // Told again with the next batch.
            _implicitAnnounced.Remove(key);
            throw;
        }
    }
}
