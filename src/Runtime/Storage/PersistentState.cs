using System.Globalization;
using System.Linq.Expressions;
using Bifro.Serialization;

namespace Bifro.Runtime.Storage;

internal interface IPersistentStateSetup
{
    Task ReadStateAsync();
}

/// <summary>A grain's state bound to its storage provider.</summary>
internal sealed class PersistentState<TState> : IPersistentState<TState>, IGrainState<TState>, IPersistentStateSetup
{
    private readonly string _stateName;
    private readonly GrainId _grainId;
    private readonly IGrainStorage _storage;

    public PersistentState(string stateName, GrainId grainId, IGrainStorage storage)
    {
        _stateName = stateName;
        _grainId = grainId;
        _storage = storage;
        State = StateFactory<TState>.Create();
    }

    public TState State { get; set; }

    public string? Etag => ETag;

    public string? ETag { get; set; }

    public bool RecordExists { get; set; }

    public Task ReadStateAsync() => _storage.ReadStateAsync(_stateName, _grainId, this);

    public Task WriteStateAsync() => _storage.WriteStateAsync(_stateName, _grainId, this);

    public Task ClearStateAsync() => _storage.ClearStateAsync(_stateName, _grainId, this);
}

/// <summary>New state objects, through a constructor delegate compiled once per state type.</summary>
internal static class StateFactory<TState>
{
    private static readonly Func<TState> s_create = Build();

    public static TState Create() => s_create();

    private static Func<TState> Build()
    {
        var type = typeof(TState);
        if (type.IsValueType || type.GetConstructor(Type.EmptyTypes) is not null)
        {
            return Expression.Lambda<Func<TState>>(Expression.New(type)).Compile();
        }

        return static () => default!;
    }
}

/// <summary>What the row-per-state providers (SQLite, PostgreSQL) read, put into a grain's state.</summary>
internal static class StoredRow
{
    /// <summary>The row's payload and version as state and etag, or a new state when there is no row.</summary>
    public static void Load<T>(IGrainState<T> grainState, long? version, byte[]? payload, SerializerSession session)
    {
        if (payload is not null)
        {
            grainState.State = Serializer.Deserialize<T>(payload, session);
            grainState.ETag = version!.Value.ToString(CultureInfo.InvariantCulture);
            grainState.RecordExists = true;
        }
        else
        {
            grainState.State = StateFactory<T>.Create();
            grainState.ETag = null;
            grainState.RecordExists = false;
        }
    }
}
