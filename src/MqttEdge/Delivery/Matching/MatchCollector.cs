using System.Buffers;
using System.Runtime.CompilerServices;
using Bifro.MqttEdge.Codec;

namespace Bifro.MqttEdge.Delivery.Matching;

/// <summary>
/// The result of <see cref="TopicTree{TSubscriber}.Match(ReadOnlySpan{byte}, MatchCollector{TSubscriber}, TSubscriber?)"/>,
/// owned by the caller and reused: one collector per publishing thread (it is not thread-safe), used for any
/// number of matches against any trees of the same subscriber type.
/// </summary>
/// <remarks>
/// <para>
/// Use: <c>tree.Match(topic, collector, publisher)</c> resets the collector and fills it; read
/// <see cref="Matches"/> (one entry per subscriber, subscription identifiers through
/// <see cref="GetSubscriptionIdentifiers"/>) and <see cref="SharedMatches"/> (one entry per matching share
/// group); then call <see cref="Clear"/> once delivery is done so the collector holds no subscriber references
/// between messages. The spans are valid until the next Match or Clear.
/// </para>
/// <para>
/// Every buffer comes from <see cref="ArrayPool{T}.Shared"/> and is kept across matches, so a thread that
/// matches the same kind of topics allocates nothing after warm-up. <see cref="TrimExcess"/> gives back buffers
/// that a rare large fan-out grew; <see cref="Dispose"/> gives back all of them.
/// </para>
/// </remarks>
internal sealed partial class MatchCollector<TSubscriber> : IDisposable
    where TSubscriber : class
{
    private const int MinimumCapacity = 16;

    /// <summary><see cref="TrimExcess"/> gives back buffers larger than this many elements.</summary>
    private const int TrimThreshold = 1024;

    private SubscriberMatch<TSubscriber>[] _matches = [];
    private int _count;
    private SharedMatch<TSubscriber>[] _shared = [];
    private int _sharedCount;

    // Subscription identifiers while collecting: one linked list per match, threaded through _identifierNext.
    private uint[] _identifiers = [];
    private int[] _identifierNext = [];
    private int _identifierCount;

    // Set when some match has more than one identifier, so that Complete must lay the lists out contiguously.
    private bool _identifiersScattered;
    private uint[] _compactIdentifiers = [];
    private uint[] _identifierSource = [];

    private Frame[] _frames = [];
    private int _frameCount;
    private char[] _topic = [];

    /// <summary>How many subscribers matched through non-shared subscriptions.</summary>
    public int Count => _count;

    /// <summary>One entry per subscriber matched through non-shared subscriptions, in no particular order.</summary>
    public ReadOnlySpan<SubscriberMatch<TSubscriber>> Matches => new(_matches, 0, _count);

    /// <summary>One entry per matching (share group, filter): the member picked for this message.</summary>
    public ReadOnlySpan<SharedMatch<TSubscriber>> SharedMatches => new(_shared, 0, _sharedCount);

    /// <summary>The subscription identifiers to send with the message to this subscriber, in no particular order.</summary>
    public ReadOnlySpan<uint> GetSubscriptionIdentifiers(in SubscriberMatch<TSubscriber> match) =>
        new(_identifierSource, match.IdentifierStart, match.IdentifierCount);

    /// <summary>Drops the references to the last match's subscribers, keeping the buffers for the next match.</summary>
    public void Clear()
    {
        Array.Clear(_matches, 0, _count);
        Array.Clear(_shared, 0, _sharedCount);
        Reset();
    }

    /// <summary>Clears, and gives back to the pool the buffers that grew past 1024 elements.</summary>
    public void TrimExcess()
    {
        Clear();
        TrimBuffer(ref _matches);
        TrimBuffer(ref _shared);
        TrimBuffer(ref _identifiers);
        TrimBuffer(ref _identifierNext);
        TrimBuffer(ref _compactIdentifiers);
        TrimBuffer(ref _table);
        TrimBuffer(ref _frames);
        TrimBuffer(ref _topic);
        _identifierSource = _identifiers;
        _tableSizeHint = MinimumTableSize;
    }

    /// <summary>Gives every buffer back to the pool. The collector can still be used; it grows again.</summary>
    public void Dispose()
    {
        Clear();
        ReturnBuffer(ref _matches);
        ReturnBuffer(ref _shared);
        ReturnBuffer(ref _identifiers);
        ReturnBuffer(ref _identifierNext);
        ReturnBuffer(ref _compactIdentifiers);
        ReturnBuffer(ref _table);
        ReturnBuffer(ref _frames);
        ReturnBuffer(ref _topic);
        _identifierSource = _identifiers;
        _tableSizeHint = MinimumTableSize;
    }

    /// <summary>Starts a match; references beyond the new counts are overwritten or dropped by <see cref="Clear"/>.</summary>
    internal void Reset()
    {
        _count = 0;
        _sharedCount = 0;
        _identifierCount = 0;
        _identifiersScattered = false;
        _identifierSource = _identifiers;
        _frameCount = 0;
        ResetTable();
    }

    /// <summary>A buffer for the UTF-16 form of a topic of <paramref name="length"/> UTF-8 bytes.</summary>
    internal Span<char> GetTopicBuffer(int length)
    {
        if (_topic.Length < length)
        {
            // UTF-8 never takes fewer bytes than UTF-16 takes chars, so the byte count is enough.
            ReturnBuffer(ref _topic);
            _topic = ArrayPool<char>.Shared.Rent(Math.Max(length, 256));
        }

        return _topic;
    }

    internal void PushFrame(TopicTree<TSubscriber>.Node node, int start)
    {
        if (_frameCount == _frames.Length)
        {
            Grow(ref _frames, _frameCount);
        }

        _frames[_frameCount++] = new Frame(node, start);
    }

    internal bool TryPopFrame(out TopicTree<TSubscriber>.Node node, out int start)
    {
        if (_frameCount == 0)
        {
            node = null!;
            start = 0;
            return false;
        }

        ref Frame frame = ref _frames[--_frameCount];
        node = frame.Node!;
        start = frame.Start;

        // Do not keep a pruned node alive from an idle collector.
        frame = default;
        return true;
    }

    /// <summary>Adds one matching non-shared subscription, merging it into the subscriber's entry if it has one.</summary>
    /// <param name="subscriber">The subscriber.</param>
    /// <param name="options">The packed <see cref="RouteOptions"/>.</param>
    /// <param name="mayOverlap">
    /// Whether the subscriber has other subscriptions; only then can it already have an entry (when the tree
    /// did not change during the walk, which <see cref="Complete"/> is told).
    /// </param>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal void Add(TSubscriber subscriber, ulong options, bool mayOverlap)
    {
        var qos = (QualityOfService)(options & RouteOptions.QualityOfServiceMask);
        bool retainAsPublished = (options & RouteOptions.RetainAsPublishedBit) != 0;
        uint identifier = (uint)(options >> RouteOptions.IdentifierShift);
        if (mayOverlap)
        {
            int existing = FindOrInsert(subscriber, _count);
            if (existing >= 0)
            {
                ref SubscriberMatch<TSubscriber> match = ref _matches[existing];
                match.Merge(qos, retainAsPublished);
                if (identifier != 0)
                {
                    AddIdentifier(ref match, identifier);
                }

                return;
            }
        }

        if (_count == _matches.Length)
        {
            Grow(ref _matches, _count);
        }

        ref SubscriberMatch<TSubscriber> added = ref _matches[_count++];
        added = new SubscriberMatch<TSubscriber>(subscriber, qos, retainAsPublished);
        if (identifier != 0)
        {
            AddIdentifier(ref added, identifier);
        }
    }

    /// <summary>Adds the member picked in a matching share group.</summary>
    internal void AddShared(TSubscriber subscriber, string shareGroup, ulong options)
    {
        if (_sharedCount == _shared.Length)
        {
            Grow(ref _shared, _sharedCount);
        }

        _shared[_sharedCount++] = new SharedMatch<TSubscriber>(subscriber, shareGroup, options);
    }

    /// <summary>Finishes a match: merges duplicates if the tree changed during it, lays out identifiers.</summary>
    internal void Complete(bool treeChanged)
    {
        if (treeChanged)
        {
            DeduplicateAll();
        }

        if (_identifiersScattered)
        {
            CompactIdentifiers();
        }
    }

    private void AddIdentifier(ref SubscriberMatch<TSubscriber> match, uint identifier)
    {
        if (_identifierCount == _identifiers.Length || _identifierCount == _identifierNext.Length)
        {
            Grow(ref _identifiers, _identifierCount);
            Grow(ref _identifierNext, _identifierCount);
            _identifierSource = _identifiers;
        }

        int index = _identifierCount++;
        _identifiers[index] = identifier;
        _identifierNext[index] = match.IdentifierStart;
        if (match.IdentifierCount > 0)
        {
            _identifiersScattered = true;
        }

        match.IdentifierStart = index;
        match.IdentifierCount++;
    }

    private void CompactIdentifiers()
    {
        if (_compactIdentifiers.Length < _identifierCount)
        {
            ReturnBuffer(ref _compactIdentifiers);
            _compactIdentifiers = ArrayPool<uint>.Shared.Rent(Math.Max(_identifierCount, MinimumCapacity));
        }

        int written = 0;
        for (int i = 0; i < _count; i++)
        {
            ref SubscriberMatch<TSubscriber> match = ref _matches[i];
            int index = match.IdentifierStart;
            int start = written;
            for (int n = 0; n < match.IdentifierCount; n++)
            {
                _compactIdentifiers[written++] = _identifiers[index];
                index = _identifierNext[index];
            }

            match.IdentifierStart = start;
        }

        _identifierSource = _compactIdentifiers;
    }

    private static void Grow<T>(ref T[] buffer, int used)
    {
        T[] larger = ArrayPool<T>.Shared.Rent(Math.Max(MinimumCapacity, buffer.Length * 2));
        Array.Copy(buffer, larger, used);
        ReturnBuffer(ref buffer);
        buffer = larger;
    }

    private static void ReturnBuffer<T>(ref T[] buffer)
    {
        if (buffer.Length > 0)
        {
            if (RuntimeHelpers.IsReferenceOrContainsReferences<T>())
            {
                Array.Clear(buffer);
            }

            ArrayPool<T>.Shared.Return(buffer);
            buffer = [];
        }
    }

    private static void TrimBuffer<T>(ref T[] buffer)
    {
        if (buffer.Length > TrimThreshold)
        {
            ReturnBuffer(ref buffer);
        }
    }

    /// <summary>A node still to visit and where the topic level it must match starts.</summary>
    private readonly struct Frame(TopicTree<TSubscriber>.Node node, int start)
    {
        public TopicTree<TSubscriber>.Node? Node { get; } = node;

        public int Start { get; } = start;
    }
}
