using System.Buffers;
using System.Numerics;
using System.Runtime.CompilerServices;

namespace Bifro.MqttEdge.Delivery.Matching;

internal sealed partial class MatchCollector<TSubscriber>
{
    private const int MinimumTableSize = 64;

    /// <summary>
    /// Subscriber to entry index, open addressing with linear probing; a slot holds index + 1, 0 is empty.
    /// Keyed by identity hash (<see cref="RuntimeHelpers.GetHashCode(object)"/>), so subscriber types need no
    /// Equals/GetHashCode. Only the first <see cref="_tableSize"/> slots are in use, and only during a match that
    /// needs the table, so a match without overlapping subscribers never clears it.
    /// </summary>
    private int[] _table = [];
    private int _tableSize;
    private int _tableShift;
    private int _tableCount;

    /// <summary>
    /// The size the last match that used the table needed: the next one starts there instead of growing from
    /// the minimum through several rehashes, so a repeated large overlapping fan-out rehashes nothing.
    /// </summary>
    private int _tableSizeHint = MinimumTableSize;

    private void ResetTable()
    {
        if (_tableSize != 0)
        {
            _tableSizeHint = SizeFor(_tableCount);
        }

        _tableSize = 0;
        _tableCount = 0;
    }

    /// <summary>A power of two at least twice <paramref name="entries"/>: the table stays at most half full.</summary>
    private static int SizeFor(int entries) =>
        (int)BitOperations.RoundUpToPowerOf2((uint)Math.Max(MinimumTableSize, (entries + 1) * 2));

    /// <summary>
    /// Returns the index of the subscriber's entry, or -1 after recording that its entry will be at
    /// <paramref name="indexIfNew"/>.
    /// </summary>
    private int FindOrInsert(TSubscriber subscriber, int indexIfNew)
    {
        if (_tableSize == 0)
        {
            StartTable(_tableSizeHint);
        }
        else if ((_tableCount + 1) * 2 > _tableSize)
        {
            GrowTable();
        }

        int mask = _tableSize - 1;
        int slot = Home(subscriber);
        while (true)
        {
            int stored = _table[slot];
            if (stored == 0)
            {
                _table[slot] = indexIfNew + 1;
                _tableCount++;
                return -1;
            }

            if (ReferenceEquals(_matches[stored - 1].Subscriber, subscriber))
            {
                return stored - 1;
            }

            slot = (slot + 1) & mask;
        }
    }

    /// <summary>
    /// Merges every duplicate subscriber in the result, keeping the first entry's place. Linear in the number of
    /// entries; only needed when a writer changed the tree while the match walked it.
    /// </summary>
    private void DeduplicateAll()
    {
        StartTable(SizeFor(_count));
        int kept = 0;
        for (int i = 0; i < _count; i++)
        {
            SubscriberMatch<TSubscriber> entry = _matches[i];
            int existing = FindOrInsert(entry.Subscriber, kept);
            if (existing < 0)
            {
                // Entries before i are kept below kept or merged, so this slot is free to take.
                _matches[kept++] = entry;
                continue;
            }

            ref SubscriberMatch<TSubscriber> target = ref _matches[existing];
            target.Merge(entry.MaximumQoS, entry.RetainAsPublished);
            AppendIdentifiers(ref target, entry);
        }

        Array.Clear(_matches, kept, _count - kept);
        _count = kept;
    }

    /// <summary>Splices the identifier list of <paramref name="source"/> in front of the one of <paramref name="target"/>.</summary>
    private void AppendIdentifiers(ref SubscriberMatch<TSubscriber> target, in SubscriberMatch<TSubscriber> source)
    {
        if (source.IdentifierCount == 0)
        {
            return;
        }

        int tail = source.IdentifierStart;
        for (int n = 1; n < source.IdentifierCount; n++)
        {
            tail = _identifierNext[tail];
        }

        _identifierNext[tail] = target.IdentifierStart;
        target.IdentifierStart = source.IdentifierStart;
        target.IdentifierCount += source.IdentifierCount;
        _identifiersScattered = true;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private int Home(TSubscriber subscriber)
    {
        // Fibonacci hashing: the multiply spreads the identity hash, the top bits pick the slot.
        uint hash = (uint)RuntimeHelpers.GetHashCode(subscriber) * 0x9E3779B9u;
        return (int)(hash >> _tableShift);
    }

    private void StartTable(int size)
    {
        if (_table.Length < size)
        {
            ReturnBuffer(ref _table);
            _table = ArrayPool<int>.Shared.Rent(size);
        }

        Array.Clear(_table, 0, size);
        _tableSize = size;
        _tableShift = 32 - BitOperations.Log2((uint)size);
        _tableCount = 0;
    }

    private void GrowTable()
    {
        int[] old = _table;
        int oldSize = _tableSize;
        int size = oldSize * 2;
        _table = ArrayPool<int>.Shared.Rent(size);
        Array.Clear(_table, 0, size);
        _tableSize = size;
        _tableShift = 32 - BitOperations.Log2((uint)size);
        int mask = size - 1;
        for (int i = 0; i < oldSize; i++)
        {
            int stored = old[i];
            if (stored != 0)
            {
                int slot = Home(_matches[stored - 1].Subscriber);
                while (_table[slot] != 0)
                {
                    slot = (slot + 1) & mask;
                }

                _table[slot] = stored;
            }
        }

        ArrayPool<int>.Shared.Return(old);
    }
}
