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
    private readonly string _node;

    public ObserverRegistry(ILocalSiloDetails silo) => _node = silo.NodeIdentity;

    public int Count => _byId.Count;

    public GrainId Register(IGrainObserver observer) =>
        _byObject.GetOrAdd(observer, static (o, self) =>
        {
            // The key names the hosting node, so that other nodes can route calls to it.
            var id = new GrainId(ObserverType, $"{self._node}/{Guid.NewGuid():N}");
            self._byId[id] = new Entry(o);
            return id;
        }, this);

    /// <summary>
    /// Registers a per-node service under a fixed name: any node can address it as
    /// <see cref="WellKnownId"/>(node, name) without being told a reference first.
    /// </summary>
    public GrainId RegisterWellKnown(string name, IGrainObserver observer)
    {
        var id = WellKnownId(_node, name);
        _byId[id] = new Entry(observer);
        _byObject[observer] = id;
        return id;
    }

    public static GrainId WellKnownId(string node, string name) => new(ObserverType, $"{node}/{name}");

    /// <summary>The node part of an observer id: a silo address, or "cl:{name}" for a cluster client.</summary>
    public static string NodeOf(GrainId observerId)
    {
        var key = observerId.Key;
        var slash = key.LastIndexOf('/');
        return slash < 0 ? key : key[..slash];
    }

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

                // A traced publish's hop to another node's edge shows up as a span of that node.
                var activity = Diagnostics.RuntimeInstrumentation.StartIncoming(message.RequestContext, message.Request);
                Response response;
                try
                {
                    response = await message.Request.Invoke().ConfigureAwait(false);
                }
                catch (Exception exception)
                {
                    response = Response.FromException(exception);
                }

                Diagnostics.RuntimeInstrumentation.StopIncoming(activity, response);
                message.ResponseSink?.Complete(response);
            }
        }
    }
}
