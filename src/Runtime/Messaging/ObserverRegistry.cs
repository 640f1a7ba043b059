using System.Collections.Concurrent;
using Bifro.Serialization.Invocation;

namespace Bifro.Runtime.Messaging;

/// <summary>
/// Objects that grains call back (observers). The registry holds them until DeleteObjectReference, so
/// a reference never dies behind its owner's back; connections delete theirs when they close. Calls to
/// one observer run one at a time, in the order they were sent (an inbox pushing batches to a
/// connection relies on it), on the thread pool, outside any grain's turn.
/// </summary>
internal sealed class ObserverRegistry
{
    public static readonly GrainType ObserverType = GrainType.Create("sys.observer");

    private readonly ConcurrentDictionary<GrainId, Entry> _byId = new();
    private readonly ConcurrentDictionary<IGrainObserver, GrainId> _byObject = new(ReferenceEqualityComparer.Instance);
    private readonly SiloAddress _silo;

    public ObserverRegistry(ILocalSiloDetails silo) => _silo = silo.SiloAddress;

    public int Count => _byId.Count;

    public GrainId Register(IGrainObserver observer) =>
        _byObject.GetOrAdd(observer, static (o, self) =>
        {
            // The key names the hosting silo, so that other silos can route calls to it.
            var id = new GrainId(ObserverType, $"{self._silo.ToParsableString()}/{Guid.NewGuid():N}");
            self._byId[id] = new Entry(o);
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
        if (!_byId.TryGetValue(message.TargetId, out var entry))
        {
            message.Fail(new GrainRuntimeException($"Observer {message.TargetId} is no longer registered."));
            return;
        }

        entry.Enqueue(message);
    }

    /// <summary>One observer and its queue of calls.</summary>
    private sealed class Entry(IGrainObserver target) : IThreadPoolWorkItem
    {
        private readonly Queue<Message> _queue = new();
        private bool _running;

        public void Enqueue(Message message)
        {
            lock (_queue)
            {
                _queue.Enqueue(message);
                if (_running)
                {
                    return;
                }

                _running = true;
            }

            ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false);
        }

        public void Execute() => _ = RunAsync();

        private async Task RunAsync()
        {
            while (true)
            {
                Message message;
                lock (_queue)
                {
                    if (!_queue.TryDequeue(out message!))
                    {
                        _running = false;
                        return;
                    }
                }

                RequestContext.Import(message.RequestContext);
                message.Request.SetTarget(target);
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
    }
}
