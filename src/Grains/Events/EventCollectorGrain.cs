using Bifro.Runtime;
using Bifro.Streams;

namespace Bifro.Grains.Events;

/// <summary>
/// Consumes one event stream (a tenant's, or the cluster's) and hands each event to this silo's
/// collectors. It only queues: the stream's buffer for it stays short, and a slow collector falls behind
/// in its own queue.
/// </summary>
[ImplicitStreamSubscription(EventStreams.Namespace)]
internal sealed class EventCollectorGrain : Grain, IEventCollectorGrain, IStreamSubscriptionObserver, IAsyncObserver<BifroEvent>
{
    private readonly EventCollectorHost? _host;
    private long _received;

    // Optional: a silo without AddEventConsumers still hosts this grain type; it then drops what it gets.
    public EventCollectorGrain(EventCollectorHost? host = null) => _host = host;

    public async Task OnSubscribed(IStreamSubscriptionHandleFactory handleFactory) =>
        await handleFactory.Create<BifroEvent>().ResumeAsync(this).ConfigureAwait(true);

    public Task OnNextAsync(BifroEvent item, StreamSequenceToken? token = null)
    {
        _received++;
        _host?.Dispatch(item);
        return Task.CompletedTask;
    }

    public Task OnErrorAsync(Exception ex) => Task.CompletedTask;

    public Task<long> GetReceivedAsync() => Task.FromResult(_received);
}
