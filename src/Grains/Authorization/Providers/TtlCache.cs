using System.Collections.Concurrent;

namespace Bifro.Grains.Authorization.Providers;

/// <summary>
/// A bounded map whose entries expire, for the postgres and http providers. Reads take no lock. Past its
/// capacity, expired entries are swept; if that frees too little, the cache starts over, which costs a
/// round of lookups but never grows memory without bound.
/// </summary>
internal sealed class TtlCache<TKey, TValue>
    where TKey : notnull
{
    private readonly ConcurrentDictionary<TKey, Entry> _entries;
    private readonly int _capacity;
    private readonly TimeProvider _time;

    public TtlCache(int capacity, TimeProvider time, IEqualityComparer<TKey>? comparer = null)
    {
        _capacity = capacity;
        _time = time;
        _entries = new ConcurrentDictionary<TKey, Entry>(comparer);
    }

    public int Count => _entries.Count;

    public bool TryGet(TKey key, out TValue value)
    {
        if (_entries.TryGetValue(key, out var entry))
        {
            if (_time.GetTimestamp() < entry.ExpiresAt)
            {
                value = entry.Value;
                return true;
            }

            _entries.TryRemove(new KeyValuePair<TKey, Entry>(key, entry));
        }

        value = default!;
        return false;
    }

    /// <summary>Remembers <paramref name="value"/> for <paramref name="ttl"/>; a ttl of zero or less remembers nothing.</summary>
    public void Set(TKey key, TValue value, TimeSpan ttl)
    {
        if (ttl <= TimeSpan.Zero)
        {
            return;
        }

        var now = _time.GetTimestamp();
        if (_entries.Count >= _capacity && !_entries.ContainsKey(key))
        {
            Sweep(now);
        }

        _entries[key] = new Entry(value, now + (long)(ttl.TotalSeconds * _time.TimestampFrequency));
    }

    public void Clear() => _entries.Clear();

    private void Sweep(long now)
    {
        foreach (var (key, entry) in _entries)
        {
            if (entry.ExpiresAt <= now)
            {
                _entries.TryRemove(new KeyValuePair<TKey, Entry>(key, entry));
            }
        }

        if (_entries.Count >= _capacity)
        {
            _entries.Clear();
        }
    }

    private sealed record Entry(TValue Value, long ExpiresAt);
}
