using System.Collections.Concurrent;

namespace Bifro.Runtime.Storage;

/// <summary>Grain collections in memory, for tests and development.</summary>
internal sealed class MemoryGrainCollectionStorage : IGrainCollectionStorage
{
    private readonly ConcurrentDictionary<(string Name, GrainId GrainId), Dictionary<string, byte[]>> _collections = new();

    public Task<IReadOnlyList<KeyValuePair<string, byte[]>>> ReadAllAsync(string collectionName, GrainId grainId)
    {
        if (!_collections.TryGetValue((collectionName, grainId), out var items))
        {
            return Task.FromResult<IReadOnlyList<KeyValuePair<string, byte[]>>>([]);
        }

        lock (items)
        {
            return Task.FromResult<IReadOnlyList<KeyValuePair<string, byte[]>>>(items.OrderBy(i => i.Key, StringComparer.Ordinal).ToList());
        }
    }

    public Task WriteAsync(string collectionName, GrainId grainId, IReadOnlyList<CollectionChange> changes)
    {
        var items = _collections.GetOrAdd((collectionName, grainId), static _ => new Dictionary<string, byte[]>(StringComparer.Ordinal));
        lock (items)
        {
            foreach (var change in changes)
            {
                if (change.Payload is null)
                {
                    items.Remove(change.Key);
                }
                else
                {
                    items[change.Key] = change.Payload;
                }
            }
        }

        return Task.CompletedTask;
    }

    public Task ClearAsync(string collectionName, GrainId grainId)
    {
        _collections.TryRemove((collectionName, grainId), out _);
        return Task.CompletedTask;
    }
}
