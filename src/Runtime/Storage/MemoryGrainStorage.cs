using System.Collections.Concurrent;
using System.Globalization;
using Bifro.Serialization;

namespace Bifro.Runtime.Storage;

/// <summary>
/// Grain state in memory, for tests and development. State is kept serialized, so it behaves like a
/// real store: a stored value is a copy, etags advance on every write, stale writes are refused.
/// </summary>
internal sealed class MemoryGrainStorage : IGrainStorage
{
    private readonly ConcurrentDictionary<(string StateName, GrainId GrainId), (byte[] Payload, long Version)> _records = new();

    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        if (_records.TryGetValue((stateName, grainId), out var record))
        {
            grainState.State = Serializer.Deserialize<T>(record.Payload);
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
        var payload = Serializer.Serialize(grainState.State);
        var key = (stateName, grainId);
        while (true)
        {
            if (_records.TryGetValue(key, out var current))
            {
                CheckEtag(grainState.ETag, current.Version, grainId);
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
        if (_records.TryGetValue(key, out var current))
        {
            CheckEtag(grainState.ETag, current.Version, grainId);
            _records.TryRemove(new KeyValuePair<(string, GrainId), (byte[], long)>(key, current));
        }

        grainState.ETag = null;
        grainState.RecordExists = false;
        grainState.State = StateFactory<T>.Create();
        return Task.CompletedTask;
    }

    private static void CheckEtag(string? etag, long? stored, GrainId grainId)
    {
        var expected = stored?.ToString(CultureInfo.InvariantCulture);
        if (!string.Equals(etag, expected, StringComparison.Ordinal))
        {
            throw new InconsistentStateException($"State of {grainId} was changed by another writer.", expected, etag);
        }
    }
}
