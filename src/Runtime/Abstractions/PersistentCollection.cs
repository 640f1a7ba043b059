namespace Bifro.Runtime;

/// <summary>
/// A grain's keyed collection of items (queued messages, routes, retained messages), loaded before
/// OnActivateAsync and written as a batch of item upserts and deletes. Where <see cref="IPersistentState{TState}"/>
/// rewrites the whole state on every write, a collection writes only what changed, so a large queue or
/// table costs per change, not per size. Not in Orleans: a Bifro extension with the same lifecycle.
/// </summary>
public interface IPersistentCollection<TItem>
{
    int Count { get; }

    /// <summary>The items as last read or changed in memory.</summary>
    IReadOnlyDictionary<string, TItem> Items { get; }

    bool HasPendingChanges { get; }

    bool TryGet(string key, out TItem item);

    /// <summary>Adds or replaces an item in memory; persisted by the next <see cref="WriteAsync"/>.</summary>
    void Set(string key, TItem item);

    /// <summary>Removes an item in memory; persisted by the next <see cref="WriteAsync"/>.</summary>
    bool Remove(string key);

    /// <summary>Removes every item; persisted by the next <see cref="WriteAsync"/>.</summary>
    void Clear();

    /// <summary>Persists the pending changes as one batch.</summary>
    Task WriteAsync();

    /// <summary>Reloads the items from storage, dropping pending changes.</summary>
    Task ReadAsync();
}

/// <summary>Injects an <see cref="IPersistentCollection{TItem}"/> constructor parameter.</summary>
[AttributeUsage(AttributeTargets.Parameter)]
public sealed class PersistentCollectionAttribute : Attribute
{
    public PersistentCollectionAttribute(string collectionName, string? storageName = null)
    {
        CollectionName = collectionName;
        StorageName = storageName;
    }

    public string CollectionName { get; }

    public string? StorageName { get; }
}

/// <summary>One change to a collection: an upsert, or a delete when <see cref="Payload"/> is null.</summary>
public readonly record struct CollectionChange(string Key, byte[]? Payload);

/// <summary>Storage of grain collections, keyed by ServiceId, grain id, collection name and item key.</summary>
public interface IGrainCollectionStorage
{
    /// <summary>Every item, in ordinal order of its key.</summary>
    Task<IReadOnlyList<KeyValuePair<string, byte[]>>> ReadAllAsync(string collectionName, GrainId grainId);

    /// <summary>Applies the changes atomically.</summary>
    Task WriteAsync(string collectionName, GrainId grainId, IReadOnlyList<CollectionChange> changes);

    Task ClearAsync(string collectionName, GrainId grainId);
}
