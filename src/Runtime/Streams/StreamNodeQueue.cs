using Bifro.Runtime.Messaging;

namespace Bifro.Runtime.Streams;

/// <summary>
/// The events this node produced for one other node's explicit subscribers, sent as batches to that
/// node's <see cref="IStreamNodeTarget"/> (the shape of the MQTT edge's RemoteDelivery). One batch is
/// in flight at a time and what arrives meanwhile forms the next, so batches grow under load and order is
/// kept. The queue is bounded: when the node does not keep up, new events for it are dropped and
/// counted; producing never waits.
/// </summary>
internal sealed class StreamNodeQueue
{
    private static readonly Action<StreamNodeQueue> s_send = static q => _ = q.SendLoopAsync();

    private readonly MemoryStreamProvider _provider;
    private readonly IStreamNodeTarget _target;
    private readonly object _lock = new();
    private List<StreamDeliveryItem> _items = new();
    private List<int> _indexes = new();
    private List<StreamId> _streams = new();
    private Dictionary<StreamId, int> _streamIndexes = new();
    private bool _sending;
    private bool _removed;
    private bool _dropping;
    private long _sent;
    private long _dropped;
    private long _failed;

    public StreamNodeQueue(MemoryStreamProvider provider, string node)
    {
        _provider = provider;
        Node = node;
        _target = provider.GrainFactory.GetGrain<IStreamNodeTarget>(ObserverRegistry.WellKnownId(node, StreamNodeTargetNames.For(provider.Name)));
    }

    public string Node { get; }

    /// <summary>Queues an event for the node, or drops it when the node is too far behind. Never waits.</summary>
    public void Enqueue(StreamId streamId, StreamDeliveryItem item)
    {
        var start = false;
        var dropped = false;
        var firstDrop = false;
        lock (_lock)
        {
            if (_removed)
            {
                return;
            }

            // Completion and errors are never dropped: they are rare, and a consumer must learn that its stream ended.
            if (item.Kind == StreamEventKind.Next && _items.Count >= _provider.Options.NodeBufferSize)
            {
                dropped = true;
                firstDrop = !_dropping;
                _dropping = true;
                _dropped++;
            }
            else
            {
                if (!_streamIndexes.TryGetValue(streamId, out var index))
                {
                    index = _streams.Count;
                    _streams.Add(streamId);
                    _streamIndexes[streamId] = index;
                }

                _items.Add(item);
                _indexes.Add(index);
                start = !_sending;
                _sending = true;
            }
        }

        if (dropped)
        {
            _provider.CountDropped();
            if (firstDrop)
            {
                _provider.LogNodeTooSlow(Node);
            }

            return;
        }

        if (start)
        {
            _provider.PumpStarted();
            ThreadPool.UnsafeQueueUserWorkItem(s_send, this, preferLocal: false);
        }
    }

    /// <summary>The node is gone: what is queued for it is discarded (and counted as undelivered).</summary>
    public void Remove()
    {
        int discarded;
        lock (_lock)
        {
            _removed = true;
            discarded = _items.Count;
            _items = new List<StreamDeliveryItem>();
            _indexes = new List<int>();
            _streams = new List<StreamId>();
            _streamIndexes = new Dictionary<StreamId, int>();
        }

        if (discarded > 0)
        {
            Interlocked.Add(ref _failed, discarded);
            _provider.CountDelivered(0, discarded);
        }
    }

    public Bifro.Streams.StreamNodeCounters GetCounters()
    {
        int buffered;
        lock (_lock)
        {
            buffered = _items.Count;
        }

        return new Bifro.Streams.StreamNodeCounters(Node, buffered, Interlocked.Read(ref _sent), Interlocked.Read(ref _dropped), Interlocked.Read(ref _failed));
    }

    private async Task SendLoopAsync()
    {
        try
        {
            while (true)
            {
                StreamNodeBatch batch;
                lock (_lock)
                {
                    if (_removed || _provider.IsStopped || _items.Count == 0)
                    {
                        _sending = false;
                        _dropping = false;
                        return;
                    }

                    batch = TakeBatchLocked();
                }

                try
                {
                    await _target.DeliverAsync(batch).ConfigureAwait(false);
                    Interlocked.Add(ref _sent, batch.Items.Length);
                }
                catch (Exception exception)
                {
                    // The events are lost for that node's subscribers (memory streams promise no more); the
                    // next batch is tried all the same, since the node may be back by then.
                    Interlocked.Add(ref _failed, batch.Items.Length);
                    _provider.CountDelivered(0, batch.Items.Length);
                    _provider.LogNodeDeliveryFailed(exception, batch.Items.Length, Node);
                }
            }
        }
        finally
        {
            _provider.PumpStopped();
        }
    }

    private StreamNodeBatch TakeBatchLocked()
    {
        var max = _provider.Options.MaxNodeBatchSize;
        if (_items.Count <= max)
        {
            var whole = new StreamNodeBatch
            {
                ProducerNode = _provider.NodeIdentity,
                Streams = [.. _streams],
                StreamIndexes = [.. _indexes],
                Items = [.. _items],
            };
            _items.Clear();
            _indexes.Clear();
            _streams.Clear();
            _streamIndexes.Clear();
            return whole;
        }

        // A part: the stream table stays whole (indexes of what remains still point into it).
        var part = new StreamNodeBatch
        {
            ProducerNode = _provider.NodeIdentity,
            Streams = [.. _streams],
            StreamIndexes = _indexes.GetRange(0, max).ToArray(),
            Items = _items.GetRange(0, max).ToArray(),
        };
        _items.RemoveRange(0, max);
        _indexes.RemoveRange(0, max);
        return part;
    }
}
