namespace Bifro.MqttEdge.Delivery;

/// <summary>
/// A growable ring of outbound entries. The array is made on first use and dropped when the queue
/// empties, so an idle connection holds none. Not thread-safe: its connection locks around it.
/// </summary>
internal struct OutboundQueue
{
    private const int InitialCapacity = 8;

    private OutboundEntry[]? _items;
    private int _head;
    private int _count;

    public readonly int Count => _count;

    public void Enqueue(in OutboundEntry entry)
    {
        if (_items is null)
        {
            _items = new OutboundEntry[InitialCapacity];
        }
        else if (_count == _items.Length)
        {
            var larger = new OutboundEntry[_items.Length * 2];
            for (var i = 0; i < _count; i++)
            {
                larger[i] = _items[(_head + i) % _items.Length];
            }

            _items = larger;
            _head = 0;
        }

        _items[(_head + _count) % _items.Length] = entry;
        _count++;
    }

    public readonly ref OutboundEntry Peek() => ref _items![_head];

    /// <summary>Adds the inbox sequence of every queued entry that has one.</summary>
    public readonly void CollectInboxSequences(List<long> sequences)
    {
        for (var i = 0; i < _count; i++)
        {
            var sequence = _items![(_head + i) % _items.Length].InboxSequence;
            if (sequence > 0)
            {
                sequences.Add(sequence);
            }
        }
    }

    public OutboundEntry Dequeue()
    {
        var entry = _items![_head];
        _items[_head] = default;
        _head = (_head + 1) % _items.Length;
        if (--_count == 0)
        {
            _items = null;
            _head = 0;
        }

        return entry;
    }
}
