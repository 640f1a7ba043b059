using Bifro.Serialization;

namespace Bifro.Runtime.Storage;

/// <summary>A grain's collection bound to its storage: items in memory, changes batched until written.</summary>
internal sealed class PersistentCollection<TItem> : IPersistentCollection<TItem>, IPersistentStateSetup
{
    private readonly string _name;
    private readonly GrainId _grainId;
    private readonly IGrainCollectionStorage _storage;
    private readonly Dictionary<string, TItem> _items = new(StringComparer.Ordinal);
    private Dictionary<string, bool>? _pending;
    private bool _clearPending;

    public PersistentCollection(string name, GrainId grainId, IGrainCollectionStorage storage)
    {
        _name = name;
        _grainId = grainId;
        _storage = storage;
    }

    public int Count => _items.Count;

    public IReadOnlyDictionary<string, TItem> Items => _items;

    public bool HasPendingChanges => _clearPending || _pending is { Count: > 0 };

    public bool TryGet(string key, out TItem item) => _items.TryGetValue(key, out item!);

    public void Set(string key, TItem item)
    {
        _items[key] = item;
        (_pending ??= new Dictionary<string, bool>(StringComparer.Ordinal))[key] = true;
    }

    public bool Remove(string key)
    {
        if (!_items.Remove(key))
        {
            return false;
        }

        (_pending ??= new Dictionary<string, bool>(StringComparer.Ordinal))[key] = false;
        return true;
    }

    public void Clear()
    {
        _items.Clear();
        _pending = null;
        _clearPending = true;
    }

    public async Task WriteAsync()
    {
        var clear = _clearPending;
        var pending = _pending;
        _clearPending = false;
        _pending = null;
        if (clear)
        {
            await _storage.ClearAsync(_name, _grainId).ConfigureAwait(true);
        }

        if (pending is null || pending.Count == 0)
        {
            return;
        }

        var changes = new List<CollectionChange>(pending.Count);
        foreach (var (key, upsert) in pending)
        {
            // The latest in-memory value is written, so several changes to one item cost one row.
            changes.Add(upsert && _items.TryGetValue(key, out var item)
                ? new CollectionChange(key, Serializer.Serialize(item))
                : new CollectionChange(key, null));
        }

        try
        {
            await _storage.WriteAsync(_name, _grainId, changes).ConfigureAwait(true);
        }
        catch
        {
            // Keep the changes pending so that a later write retries them.
            foreach (var (key, upsert) in pending)
            {
                (_pending ??= new Dictionary<string, bool>(StringComparer.Ordinal)).TryAdd(key, upsert);
            }

            throw;
        }
    }

    public async Task ReadAsync()
    {
        var rows = await _storage.ReadAllAsync(_name, _grainId).ConfigureAwait(true);
        _items.Clear();
        _pending = null;
        _clearPending = false;
        foreach (var (key, payload) in rows)
        {
            _items[key] = Serializer.Deserialize<TItem>(payload);
        }
    }

    Task IPersistentStateSetup.ReadStateAsync() => ReadAsync();
}
