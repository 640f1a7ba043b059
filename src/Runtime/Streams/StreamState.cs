namespace Bifro.Runtime.Streams;

/// <summary>
/// A stream's subscriptions, explicit and implicit, and its sequence. Publishing numbers the event and
/// fans it out under the stream's lock, so every consumer of the stream sees the same order.
/// </summary>
internal sealed class StreamState
{
    private readonly object _lock = new();
    private StreamSubscription[] _subscriptions;
    private long _sequence;

    public StreamState(StreamId streamId, StreamSubscription[] implicitSubscriptions)
    {
        StreamId = streamId;
        _subscriptions = implicitSubscriptions;
    }

    public StreamId StreamId { get; }

    /// <summary>A snapshot: the array is replaced, never changed.</summary>
    public StreamSubscription[] Subscriptions => Volatile.Read(ref _subscriptions);

    public void Add(StreamSubscription subscription)
    {
        lock (_lock)
        {
            _subscriptions = [.. _subscriptions, subscription];
        }
    }

    public void Remove(StreamSubscription subscription)
    {
        lock (_lock)
        {
            var index = Array.IndexOf(_subscriptions, subscription);
            if (index >= 0)
            {
                _subscriptions = [.. _subscriptions[..index], .. _subscriptions[(index + 1)..]];
            }
        }
    }

    public void Publish(StreamEventKind kind, object? item, Exception? error)
    {
        lock (_lock)
        {
            var delivery = new StreamDeliveryItem { Kind = kind, Item = item, Error = error, SequenceNumber = ++_sequence };
            foreach (var subscription in _subscriptions)
            {
                subscription.Enqueue(delivery);
            }
        }
    }
}
