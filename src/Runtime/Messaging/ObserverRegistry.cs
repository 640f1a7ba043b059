using System.Collections.Concurrent;
using Bifro.Serialization.Invocation;

namespace Bifro.Runtime.Messaging;

/// <summary>
/// Objects that grains call back (observers). The registry holds them until DeleteObjectReference, so
/// a connection that forgets to delete its reference keeps itself alive: connections delete theirs when
/// they close. Observer calls run on the thread pool, outside any grain's turn.
/// </summary>
internal sealed class ObserverRegistry
{
    public static readonly GrainType ObserverType = GrainType.Create("sys.observer");

    private readonly ConcurrentDictionary<GrainId, IGrainObserver> _byId = new();
    private readonly ConcurrentDictionary<IGrainObserver, GrainId> _byObject = new(ReferenceEqualityComparer.Instance);
    private readonly SiloAddress _silo;

    public ObserverRegistry(ILocalSiloDetails silo) => _silo = silo.SiloAddress;

    public int Count => _byId.Count;

    public GrainId Register(IGrainObserver observer) =>
        _byObject.GetOrAdd(observer, static (o, self) =>
        {
            // The key names the hosting silo, so that other silos can route calls to it.
            var id = new GrainId(ObserverType, $"{self._silo.ToParsableString()}/{Guid.NewGuid():N}");
            self._byId[id] = o;
            return id;
        }, this);

    public void Unregister(IGrainObserver observer)
    {
        if (_byObject.TryRemove(observer, out var id))
        {
            _byId.TryRemove(id, out _);
        }
    }

    public void Deliver(Message message)
    {
        if (!_byId.TryGetValue(message.TargetId, out var observer))
        {
            message.Fail(new GrainRuntimeException($"Observer {message.TargetId} is no longer registered."));
            return;
        }

        ThreadPool.UnsafeQueueUserWorkItem(static state => _ = InvokeAsync(state.observer, state.message), (observer, message), preferLocal: false);
    }

    private static async Task InvokeAsync(IGrainObserver observer, Message message)
    {
        RequestContext.Import(message.RequestContext);
        message.Request.SetTarget(observer);
        Response response;
        try
        {
            response = await message.Request.Invoke().ConfigureAwait(false);
        }
        catch (Exception exception)
        {
            response = Response.FromException(exception);
        }

        message.ResponseSink?.Complete(response);
    }
}
