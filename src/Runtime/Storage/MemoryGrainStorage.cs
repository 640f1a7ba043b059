using System.Collections.Concurrent;
using System.Globalization;
using Bifro.Runtime.Messaging;
using Bifro.Serialization;
using Microsoft.Extensions.DependencyInjection;

namespace Bifro.Runtime.Storage;

/// <summary>
/// Grain state in memory, for tests and development. State is kept serialized, so it behaves like a
/// real store: a stored value is a copy, etags advance on every write, stale writes are refused.
/// </summary>
/// <remarks>
/// A cleared record stays as a tombstone (no payload, version advanced) and reads as no record, so a
/// version is never reused: a writer holding an etag from before a clear cannot overwrite a record
/// written after it. SqliteGrainStorage keeps the same rules.
/// </remarks>
internal sealed class MemoryGrainStorage : IGrainStorage
{
    private readonly ConcurrentDictionary<(string StateName, GrainId GrainId), (byte[]? Payload, long Version)> _records = new();
    private readonly IServiceProvider? _services;
    private SerializerSession? _session;

    public MemoryGrainStorage(IServiceProvider? services = null) => _services = services;

    // State may hold grain references, which are read back bound to this silo's runtime. Resolved on
    // first use: the runtime depends, through the catalog, on storage.
    private SerializerSession? Session => _services is null ? null : _session ??= new SerializerSession(_services.GetService<IGrainReferenceRuntime>());

    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        if (_records.TryGetValue((stateName, grainId), out var record) && record.Payload is not null)
        {
            grainState.State = Serializer.Deserialize<T>(record.Payload, Session);
            grainState.ETag = record.Version.ToString(CultureInfo.InvariantCulture);
            grainState.RecordExists = true;
        }
        else
        {
            grainState.State = StateFactory<T>.Create();
            grainState.ETag = null;
            grainState.RecordExists = false;
        }

        return Task.CompletedTask;
    }

    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var payload = Serializer.Serialize(grainState.State, Session);
        var key = (stateName, grainId);
        while (true)
        {
            if (_records.TryGetValue(key, out var current))
            {
                CheckEtag(grainState.ETag, current, grainId);
                if (_records.TryUpdate(key, (payload, current.Version + 1), current))
                {
                    grainState.ETag = (current.Version + 1).ToString(CultureInfo.InvariantCulture);
                    break;
                }
            }
            else
            {
                CheckEtag(grainState.ETag, null, grainId);
                if (_records.TryAdd(key, (payload, 1)))
                {
                    grainState.ETag = "1";
                    break;
                }
            }
        }

        grainState.RecordExists = true;
        return Task.CompletedTask;
    }

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var key = (stateName, grainId);
        while (_records.TryGetValue(key, out var current) && current.Payload is not null)
        {
            CheckEtag(grainState.ETag, current, grainId);
            if (_records.TryUpdate(key, (null, current.Version + 1), current))
            {
                break;
            }
        }

        grainState.ETag = null;
        grainState.RecordExists = false;
        grainState.State = StateFactory<T>.Create();
        return Task.CompletedTask;
    }

    /// <summary>A live record's etag is its version; a missing record or a tombstone has none.</summary>
    private static void CheckEtag(string? etag, (byte[]? Payload, long Version)? stored, GrainId grainId)
    {
        var expected = stored is { Payload: not null } live ? live.Version.ToString(CultureInfo.InvariantCulture) : null;
        if (!string.Equals(etag, expected, StringComparison.Ordinal))
        {
            throw new InconsistentStateException($"State of {grainId} was changed by another writer.", expected, etag);
        }
    }
}
