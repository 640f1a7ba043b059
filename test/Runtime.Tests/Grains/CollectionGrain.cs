using Bifro.Runtime;

namespace Bifro.Runtime.Tests.Grains;

public interface ICollectionGrain : IGrainWithStringKey
{
    Task SetAsync(string key, string value);

    Task<bool> RemoveAsync(string key);

    Task ClearAsync();

    Task SaveAsync();

    Task<Dictionary<string, string>> GetAllAsync();

    Task DeactivateAsync();
}

/// <summary>A grain with a persistent collection, to test its lifecycle with each storage provider.</summary>
public sealed class CollectionGrain : Grain, ICollectionGrain
{
    private readonly IPersistentCollection<string> _items;

    public CollectionGrain([PersistentCollection("items")] IPersistentCollection<string> items) => _items = items;

    public Task SetAsync(string key, string value)
    {
        _items.Set(key, value);
        return Task.CompletedTask;
    }

    public Task<bool> RemoveAsync(string key) => Task.FromResult(_items.Remove(key));

    public Task ClearAsync()
    {
        _items.Clear();
        return Task.CompletedTask;
    }

    public Task SaveAsync() => _items.WriteAsync();

    public Task<Dictionary<string, string>> GetAllAsync() => Task.FromResult(new Dictionary<string, string>(_items.Items));

    public Task DeactivateAsync()
    {
        DeactivateOnIdle();
        return Task.CompletedTask;
    }
}
