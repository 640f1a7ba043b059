namespace Bifro.Runtime;

/// <summary>State that a grain reads and writes through a storage provider.</summary>
public interface IStorage
{
    /// <summary>The version of the stored record this activation last read or wrote; null when none.</summary>
    string? Etag { get; }

    /// <summary>Whether a record is stored.</summary>
    bool RecordExists { get; }

    Task ReadStateAsync();

    /// <summary>Writes the state; throws <see cref="InconsistentStateException"/> if the stored record changed since it was read.</summary>
    Task WriteStateAsync();

    Task ClearStateAsync();
}

public interface IStorage<TState> : IStorage
{
    TState State { get; set; }
}

/// <summary>A grain's persistent state, injected with [PersistentState(name, storage)]; read before OnActivateAsync.</summary>
public interface IPersistentState<TState> : IStorage<TState>
{
}

/// <summary>The state, etag and existence flag a storage provider reads and updates.</summary>
public interface IGrainState<T>
{
    T State { get; set; }

    string? ETag { get; set; }

    bool RecordExists { get; set; }
}

/// <summary>
/// A grain storage provider (Orleans' IGrainStorage). Writes are optimistic: a write whose ETag does
/// not match the stored one throws <see cref="InconsistentStateException"/>.
/// </summary>
public interface IGrainStorage
{
    Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState);

    Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState);

    Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState);
}
