namespace Bifro.Runtime.Streams;

/// <summary>
/// A stream's subscriptions on this node, explicit and implicit, and its sequence. Publishing numbers the
/// event and fans it out under the stream's lock, so every consumer of the stream sees the same order.
/// </summary>
/// <remarks>
/// In a cluster the stream also has consumers on other nodes: this node registers with the stream's
/// rendezvous (<see cref="IStreamPubSubGrain"/>) when it first produces, and from then on hands each
/// event, still under the lock, to the queue of every consuming node. Until the rendezvous has answered,
/// events wait in a bounded pending list, so the first events reach subscribers that already exist.
/// </remarks>
internal sealed class StreamState
{
    private readonly object _lock = new();
    private readonly MemoryStreamProvider _provider;
    private StreamSubscription[] _subscriptions;
    private long _sequence;

    // Cluster: the other nodes that consume this stream, as the rendezvous last said (epoch, version).
    private StreamNodeQueue[] _remote = [];
    private long _consumersEpoch = -1;
    private long _consumersVersion = -1;
    private ProducerRegistration _registration;
    private List<StreamDeliveryItem>? _pending;

    // Cluster: this node's explicit subscriptions, whose count decides whether it registers as a consumer.
    private int _localExplicit;
    private long _consumerRevision;

    public StreamState(MemoryStreamProvider provider, StreamId streamId, StreamSubscription[] implicitSubscriptions)
    {
        _provider = provider;
        StreamId = streamId;
        _subscriptions = implicitSubscriptions;
    }

    private enum ProducerRegistration : byte
    {
        None,
        Pending,
        Registered,
    }

    public StreamId StreamId { get; }

    /// <summary>A snapshot: the array is replaced, never changed.</summary>
    public StreamSubscription[] Subscriptions => Volatile.Read(ref _subscriptions);

    /// <summary>Whether this node has registered as a producer (and so must register again after a membership change).</summary>
    public bool IsProducer => _registration != ProducerRegistration.None;

    /// <summary>Whether this node has explicit subscribers (and so must register again after a membership change).</summary>
    public bool HasLocalConsumers
    {
        get
        {
            lock (_lock)
            {
                return _localExplicit > 0;
            }
        }
    }

    public long ConsumerRevision
    {
        get
        {
            lock (_lock)
            {
                return _consumerRevision;
            }
        }
    }

    /// <summary>Adds a subscription; for an explicit one in a cluster, true when it is this node's first (register as a consumer).</summary>
    public bool Add(StreamSubscription subscription, out long revision)
    {
        lock (_lock)
        {
            _subscriptions = [.. _subscriptions, subscription];
            revision = _consumerRevision;
            if (subscription.IsImplicit || ++_localExplicit > 1)
            {
                return false;
            }

            revision = ++_consumerRevision;
            return true;
        }
    }

    /// <summary>Removes a subscription; true when it was this node's last explicit one (unregister as a consumer).</summary>
    public bool Remove(StreamSubscription subscription, out long revision)
    {
        lock (_lock)
        {
            revision = _consumerRevision;
            var index = Array.IndexOf(_subscriptions, subscription);
            if (index < 0)
            {
                return false;
            }

            _subscriptions = [.. _subscriptions[..index], .. _subscriptions[(index + 1)..]];
            if (subscription.IsImplicit || --_localExplicit > 0)
            {
                return false;
            }

            revision = ++_consumerRevision;
            return true;
        }
    }

    public void Publish(StreamEventKind kind, object? item, Exception? error)
    {
        var register = false;
        lock (_lock)
        {
            var delivery = new StreamDeliveryItem { Kind = kind, Item = item, Error = error, SequenceNumber = ++_sequence };
            foreach (var subscription in _subscriptions)
            {
                subscription.Enqueue(delivery);
            }

            if (!_provider.IsClustered)
            {
                return;
            }

            switch (_registration)
            {
                case ProducerRegistration.Registered:
                    foreach (var node in _remote)
                    {
                        node.Enqueue(StreamId, delivery);
                    }

                    break;
                case ProducerRegistration.None:
                    _registration = ProducerRegistration.Pending;
                    register = true;
                    AddPendingLocked(delivery);
                    break;
                default:
                    AddPendingLocked(delivery);
                    break;
            }
        }

        if (register)
        {
            _provider.RegisterProducer(this);
        }
    }

    /// <summary>Events from a producer on another node: for this node's explicit subscribers only (implicit ones hear from the producer).</summary>
    public int DeliverFromNode(StreamDeliveryItem item)
    {
        var delivered = 0;
        foreach (var subscription in Subscriptions)
        {
            if (!subscription.IsImplicit)
            {
                subscription.Enqueue(item);
                delivered++;
            }
        }

        return delivered;
    }

    /// <summary>
    /// The rendezvous's list of consuming nodes (its answer to a registration, or a change): newer lists
    /// replace older ones, and the events that waited for the first list go out now, in order.
    /// </summary>
    public void ApplyConsumers(StreamConsumerNodes consumers)
    {
        lock (_lock)
        {
            if (consumers.IsNewerThan(_consumersEpoch, _consumersVersion))
            {
                _consumersEpoch = consumers.Epoch;
                _consumersVersion = consumers.Version;
                var remote = new List<StreamNodeQueue>(consumers.Nodes.Length);
                foreach (var node in consumers.Nodes)
                {
                    if (!string.Equals(node, _provider.NodeIdentity, StringComparison.Ordinal) && _provider.GetNodeQueue(node) is { } queue)
                    {
                        remote.Add(queue);
                    }
                }

                _remote = [.. remote];
            }

            if (_registration == ProducerRegistration.Pending)
            {
                _registration = ProducerRegistration.Registered;
                FlushPendingLocked();
            }
        }
    }

    /// <summary>The rendezvous could not be reached: the waiting events go nowhere (counted), and the next event tries again.</summary>
    public int RegistrationFailed()
    {
        lock (_lock)
        {
            _registration = ProducerRegistration.None;
            var discarded = _pending?.Count ?? 0;
            _pending = null;
            return discarded;
        }
    }

    /// <summary>A node is gone: it consumes nothing any more.</summary>
    public void RemoveNode(string node)
    {
        lock (_lock)
        {
            var index = Array.FindIndex(_remote, q => string.Equals(q.Node, node, StringComparison.Ordinal));
            if (index >= 0)
            {
                _remote = [.. _remote[..index], .. _remote[(index + 1)..]];
            }
        }
    }

    private void AddPendingLocked(StreamDeliveryItem delivery)
    {
        var pending = _pending ??= new List<StreamDeliveryItem>();
        if (delivery.Kind == StreamEventKind.Next && pending.Count >= _provider.Options.NodeBufferSize)
        {
            _provider.CountDropped();
            return;
        }

        pending.Add(delivery);
    }

    private void FlushPendingLocked()
    {
        if (_pending is not { } pending)
        {
            return;
        }

        _pending = null;
        foreach (var delivery in pending)
        {
            foreach (var node in _remote)
            {
                node.Enqueue(StreamId, delivery);
            }
        }
    }
}
