using Bifro.Streams;

namespace Bifro.Runtime.Streams;

/// <summary>
/// One consumer's subscription to one stream, with its own bounded buffer and its own delivery loop.
/// Producers only enqueue (under a short lock) and return; the loop, started on the thread pool when the
/// buffer becomes non-empty, takes batches in order and delivers each before the next, so events keep
/// their stream order for this consumer. A full buffer drops new items for this consumer only, and
/// counts them; nothing waits on a slow consumer but its own loop.
/// </summary>
internal sealed class StreamSubscription
{
    // A buffer that drained after holding more than this many events is released, not kept at its peak size.
    private const int RetainedBufferSize = 64;

    private static readonly Action<StreamSubscription> s_pump = static s => _ = s.PumpAsync();

    private readonly MemoryStreamProvider _provider;
    private readonly IStreamConsumerExtension? _grain;
    private readonly object _lock = new();
    private IStreamObserverAdapter? _localObserver;
    private Queue<StreamDeliveryItem>? _buffer;
    private int _highWater;
    private bool _pumping;
    private bool _removed;
    private bool _dropping;
    private long _delivered;
    private long _dropped;
    private long _undelivered;

    private StreamSubscription(MemoryStreamProvider provider, StreamId streamId, GrainId? consumer, bool isImplicit, IStreamObserverAdapter? localObserver)
    {
        _provider = provider;
        StreamId = streamId;
        HandleId = isImplicit && consumer is { } implicitConsumer ? ImplicitHandleId(provider.Name, streamId, implicitConsumer) : Guid.NewGuid();
        Consumer = consumer;
        IsImplicit = isImplicit;
        _localObserver = localObserver;
        if (consumer is { } grainId)
        {
            _grain = provider.GrainFactory.GetGrain<IStreamConsumerExtension>(grainId);
        }
    }

    public Guid HandleId { get; }

    public StreamId StreamId { get; }

    /// <summary>The consuming grain; null for an observer outside any grain, delivered to on the thread pool.</summary>
    public GrainId? Consumer { get; }

    public bool IsImplicit { get; }

    public static StreamSubscription ForGrain(MemoryStreamProvider provider, StreamId streamId, GrainId consumer, bool isImplicit) =>
        new(provider, streamId, consumer, isImplicit, null);

    public static StreamSubscription ForLocal(MemoryStreamProvider provider, StreamId streamId, IStreamObserverAdapter observer) =>
        new(provider, streamId, null, false, observer);

    /// <summary>
    /// An implicit subscription's handle id is the same on every node, because every producing node
    /// serves it and the consumer grain resumes it on whichever silo it lives: it is derived from the
    /// provider, the stream and the consumer.
    /// </summary>
    public static Guid ImplicitHandleId(string provider, StreamId streamId, GrainId consumer)
    {
        Span<byte> hash = stackalloc byte[32];
        System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes($"{provider}\n{streamId}\n{consumer}"), hash);
        return new Guid(hash[..16]);
    }

    public void SetLocalObserver(IStreamObserverAdapter observer) => Volatile.Write(ref _localObserver, observer);

    /// <summary>Queues an event for this consumer, or drops it when the buffer is full. Never waits for the consumer.</summary>
    public void Enqueue(StreamDeliveryItem item)
    {
        bool dropped;
        var firstDrop = false;
        lock (_lock)
        {
            if (_removed)
            {
                return;
            }

            var buffer = _buffer ??= new Queue<StreamDeliveryItem>();

            // Completion and errors are never dropped: they are rare, and a consumer must learn that its stream ended.
            dropped = item.Kind == StreamEventKind.Next && buffer.Count >= _provider.Options.BufferSize;
            if (dropped)
            {
                firstDrop = !_dropping;
                _dropping = true;
            }
            else
            {
                buffer.Enqueue(item);
                _highWater = Math.Max(_highWater, buffer.Count);
                if (_pumping)
                {
                    return;
                }

                _pumping = true;
            }
        }

        if (dropped)
        {
            Interlocked.Increment(ref _dropped);
            _provider.CountDropped();
            if (firstDrop)
            {
                _provider.LogConsumerTooSlow(StreamId, ConsumerName);
            }

            return;
        }

        _provider.PumpStarted();
        ThreadPool.UnsafeQueueUserWorkItem(s_pump, this, preferLocal: false);
    }

    /// <summary>Ends the subscription: buffered events are discarded and the loop stops.</summary>
    public void Remove()
    {
        lock (_lock)
        {
            _removed = true;
            _buffer = null;
        }
    }

    public StreamSubscriptionCounters GetCounters()
    {
        int buffered;
        lock (_lock)
        {
            buffered = _buffer?.Count ?? 0;
        }

        return new StreamSubscriptionCounters(
            HandleId,
            StreamId,
            ConsumerName,
            IsImplicit,
            buffered,
            new StreamDeliveryCounters(Interlocked.Read(ref _delivered), Interlocked.Read(ref _dropped), Interlocked.Read(ref _undelivered)));
    }

    private string ConsumerName => Consumer?.ToString() ?? "local";

    private async Task PumpAsync()
    {
        try
        {
            while (true)
            {
                StreamDeliveryItem[] batch;
                lock (_lock)
                {
                    if (_removed || _provider.IsStopped || _buffer is not { Count: > 0 } buffer)
                    {
                        _pumping = false;
                        _dropping = false;
                        if (_highWater > RetainedBufferSize || _provider.IsStopped)
                        {
                            _buffer = null;
                        }

                        _highWater = 0;
                        return;
                    }

                    batch = new StreamDeliveryItem[Math.Min(buffer.Count, _provider.Options.MaxBatchSize)];
                    for (var i = 0; i < batch.Length; i++)
                    {
                        batch[i] = buffer.Dequeue();
                    }
                }

                var failed = _grain is null ? await DeliverLocallyAsync(batch).ConfigureAwait(false) : await DeliverToGrainAsync(batch).ConfigureAwait(false);
                Interlocked.Add(ref _delivered, batch.Length - failed);
                Interlocked.Add(ref _undelivered, failed);
                _provider.CountDelivered(batch.Length - failed, failed);
            }
        }
        finally
        {
            _provider.PumpStopped();
        }
    }

    private async Task<int> DeliverToGrainAsync(StreamDeliveryItem[] batch)
    {
        try
        {
            return await _grain!.DeliverAsync(_provider.Name, StreamId, HandleId, IsImplicit, batch).ConfigureAwait(false);
        }
        catch (Exception exception)
        {
            _provider.LogDeliveryFailed(exception, batch.Length, StreamId, ConsumerName);
            return batch.Length;
        }
    }

    private async Task<int> DeliverLocallyAsync(StreamDeliveryItem[] batch)
    {
        var failed = 0;
        foreach (var item in batch)
        {
            var observer = Volatile.Read(ref _localObserver);
            if (observer is null)
            {
                failed++;
                continue;
            }

            try
            {
                await observer.DeliverAsync(item).ConfigureAwait(false);
            }
            catch (Exception exception)
            {
                failed++;
                _provider.LogObserverFailed(exception, HandleId, StreamId);
            }
        }

        return failed;
    }
}
