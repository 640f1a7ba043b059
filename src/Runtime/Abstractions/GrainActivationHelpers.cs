using Bifro.Runtime.Activation;

namespace Bifro.Runtime;

/// <summary>Called by generated grain factories.</summary>
public static class GrainActivationHelpers
{
    /// <summary>The state behind a [PersistentState(stateName, storageName)] constructor parameter.</summary>
    public static IPersistentState<TState> GetPersistentState<TState>(IGrainContext context, string stateName, string? storageName) =>
        ((ActivationData)context).GetPersistentState<TState>(stateName, storageName);

    /// <summary>The collection behind a [PersistentCollection(collectionName, storageName)] constructor parameter.</summary>
    public static IPersistentCollection<TItem> GetPersistentCollection<TItem>(IGrainContext context, string collectionName, string? storageName) =>
        ((ActivationData)context).GetPersistentCollection<TItem>(collectionName, storageName);
}
