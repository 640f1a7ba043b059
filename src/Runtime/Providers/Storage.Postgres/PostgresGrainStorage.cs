using System.Globalization;
using Bifro.Configuration;
using Bifro.Runtime.Messaging;
using Bifro.Runtime.Storage;
using Bifro.Serialization;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Bifro.Runtime.Providers.Storage.Postgres;

/// <summary>
/// Grain state and collections in PostgreSQL (deploy/postgresql/03-bifro-storage.sql), keyed by
/// ServiceId, grain type and key: the store from which a grain comes back on another silo when its silo
/// dies. Writes are compare-and-swaps on the etag (a version), so a stale activation cannot overwrite a
/// newer one's state; a cleared record stays as a tombstone so versions are never reused.
/// </summary>
internal sealed class PostgresGrainStorage : IGrainStorage, IGrainCollectionStorage, IDisposable
{
    private const string Key = "service_id = @service AND grain_type = @type AND grain_key = @key AND state_name = @state";

    private const string SelectSql = $"SELECT etag, payload FROM bifro_grain_state WHERE {Key}";

    private const string InsertSql = """
        INSERT INTO bifro_grain_state (service_id, grain_type, grain_key, state_name, etag, payload, modified_at)
        VALUES (@service, @type, @key, @state, 1, @payload, now())
        ON CONFLICT (service_id, grain_type, grain_key, state_name)
        DO UPDATE SET etag = bifro_grain_state.etag + 1, payload = excluded.payload, modified_at = now()
        WHERE bifro_grain_state.payload IS NULL
        RETURNING etag
        """;

    private const string UpdateSql = $"""
        UPDATE bifro_grain_state SET etag = etag + 1, payload = @payload, modified_at = now()
        WHERE {Key} AND etag = @etag AND payload IS NOT NULL
        RETURNING etag
        """;

    private const string ClearSql = $"""
        UPDATE bifro_grain_state SET etag = etag + 1, payload = NULL, modified_at = now()
        WHERE {Key} AND etag = @etag AND payload IS NOT NULL
        """;

    private const string ItemsKey = "service_id = @service AND grain_type = @type AND grain_key = @key AND collection = @collection";

    private readonly string _serviceId;
    private readonly NpgsqlDataSource _dataSource;
    private readonly IServiceProvider _services;
    private SerializerSession? _session;

    public PostgresGrainStorage(PostgresStorageOptions options, ClusterOptions cluster, IServiceProvider services)
    {
        _serviceId = cluster.ServiceId;
        _dataSource = NpgsqlDataSource.Create(options.ConnectionString
            ?? throw new InvalidOperationException("Bifro:Storage:Postgres:ConnectionString is required."));
        _services = services;
    }

    private SerializerSession Session => _session ??= new SerializerSession(_services.GetService<IGrainReferenceRuntime>());

    public async Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var (version, payload) = await ReadRowAsync(stateName, grainId).ConfigureAwait(false);
        StoredRow.Load(grainState, version, payload, Session);
    }

    public async Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var payload = Serializer.Serialize(grainState.State, Session);
        long? written = null;
        if (grainState.ETag is null)
        {
            await using var command = Command(InsertSql, stateName, grainId);
            command.Parameters.AddWithValue("payload", payload);
            written = await command.ExecuteScalarAsync().ConfigureAwait(false) as long?;
        }
        else if (long.TryParse(grainState.ETag, NumberStyles.Integer, CultureInfo.InvariantCulture, out var expected))
        {
            await using var command = Command(UpdateSql, stateName, grainId);
            command.Parameters.AddWithValue("payload", payload);
            command.Parameters.AddWithValue("etag", expected);
            written = await command.ExecuteScalarAsync().ConfigureAwait(false) as long?;
        }

        if (written is null)
        {
            throw await ConflictAsync(stateName, grainId, grainState.ETag, "write").ConfigureAwait(false);
        }

        grainState.ETag = written.Value.ToString(CultureInfo.InvariantCulture);
        grainState.RecordExists = true;
    }

    public async Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var cleared = false;
        if (grainState.ETag is { } etag && long.TryParse(etag, NumberStyles.Integer, CultureInfo.InvariantCulture, out var expected))
        {
            await using var command = Command(ClearSql, stateName, grainId);
            command.Parameters.AddWithValue("etag", expected);
            cleared = await command.ExecuteNonQueryAsync().ConfigureAwait(false) == 1;
        }

        if (!cleared && (await ReadRowAsync(stateName, grainId).ConfigureAwait(false)).Payload is not null)
        {
            throw await ConflictAsync(stateName, grainId, grainState.ETag, "clear").ConfigureAwait(false);
        }

        grainState.ETag = null;
        grainState.RecordExists = false;
        grainState.State = StateFactory<T>.Create();
    }

    public async Task<IReadOnlyList<KeyValuePair<string, byte[]>>> ReadAllAsync(string collectionName, GrainId grainId)
    {
        await using var command = ItemsCommand($"SELECT item_key, payload FROM bifro_grain_items WHERE {ItemsKey} ORDER BY item_key COLLATE \"C\"", collectionName, grainId);
        await using var reader = await command.ExecuteReaderAsync().ConfigureAwait(false);
        var items = new List<KeyValuePair<string, byte[]>>();
        while (await reader.ReadAsync().ConfigureAwait(false))
        {
            items.Add(new KeyValuePair<string, byte[]>(reader.GetString(0), (byte[])reader.GetValue(1)));
        }

        return items;
    }

    public async Task WriteAsync(string collectionName, GrainId grainId, IReadOnlyList<CollectionChange> changes)
    {
        // One round trip: the changes as arrays, applied by two set-based statements in one transaction.
        var upsertKeys = new List<string>();
        var upsertPayloads = new List<byte[]>();
        var deleteKeys = new List<string>();
        foreach (var change in changes)
        {
            if (change.Payload is { } payload)
            {
                upsertKeys.Add(change.Key);
                upsertPayloads.Add(payload);
            }
            else
            {
                deleteKeys.Add(change.Key);
            }
        }

        await using var connection = await _dataSource.OpenConnectionAsync().ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync().ConfigureAwait(false);
        var batch = new NpgsqlBatch(connection, transaction);
        await using (batch.ConfigureAwait(false))
        {
            if (deleteKeys.Count > 0)
            {
                var delete = new NpgsqlBatchCommand($"DELETE FROM bifro_grain_items WHERE {ItemsKey} AND item_key = ANY(@items)");
                AddItemsKey(delete.Parameters, collectionName, grainId);
                delete.Parameters.AddWithValue("items", deleteKeys.ToArray());
                batch.BatchCommands.Add(delete);
            }

            if (upsertKeys.Count > 0)
            {
                var upsert = new NpgsqlBatchCommand("""
                    INSERT INTO bifro_grain_items (service_id, grain_type, grain_key, collection, item_key, payload)
                    SELECT @service, @type, @key, @collection, k, p FROM unnest(@items, @payloads) AS t(k, p)
                    ON CONFLICT (service_id, grain_type, grain_key, collection, item_key) DO UPDATE SET payload = excluded.payload
                    """);
                AddItemsKey(upsert.Parameters, collectionName, grainId);
                upsert.Parameters.AddWithValue("items", upsertKeys.ToArray());
                upsert.Parameters.AddWithValue("payloads", upsertPayloads.ToArray());
                batch.BatchCommands.Add(upsert);
            }

            await batch.ExecuteNonQueryAsync().ConfigureAwait(false);
        }

        await transaction.CommitAsync().ConfigureAwait(false);
    }

    public async Task ClearAsync(string collectionName, GrainId grainId)
    {
        await using var command = ItemsCommand($"DELETE FROM bifro_grain_items WHERE {ItemsKey}", collectionName, grainId);
        await command.ExecuteNonQueryAsync().ConfigureAwait(false);
    }

    public void Dispose() => _dataSource.Dispose();

    private async Task<(long? Version, byte[]? Payload)> ReadRowAsync(string stateName, GrainId grainId)
    {
        await using var command = Command(SelectSql, stateName, grainId);
        await using var reader = await command.ExecuteReaderAsync().ConfigureAwait(false);
        if (!await reader.ReadAsync().ConfigureAwait(false))
        {
            return (null, null);
        }

        return (reader.GetInt64(0), reader.IsDBNull(1) ? null : (byte[])reader.GetValue(1));
    }

    private async Task<InconsistentStateException> ConflictAsync(string stateName, GrainId grainId, string? etag, string operation)
    {
        var (version, payload) = await ReadRowAsync(stateName, grainId).ConfigureAwait(false);
        var stored = payload is null ? null : version?.ToString(CultureInfo.InvariantCulture);
        return new InconsistentStateException($"Could not {operation} state '{stateName}' of {grainId}: another writer changed it.", stored, etag);
    }

    private NpgsqlCommand Command(string sql, string stateName, GrainId grainId)
    {
        var command = _dataSource.CreateCommand(sql);
        command.Parameters.AddWithValue("service", _serviceId);
        command.Parameters.AddWithValue("type", grainId.Type.Value);
        command.Parameters.AddWithValue("key", grainId.Key);
        command.Parameters.AddWithValue("state", stateName);
        return command;
    }

    private NpgsqlCommand ItemsCommand(string sql, string collectionName, GrainId grainId)
    {
        var command = _dataSource.CreateCommand(sql);
        AddItemsKey(command.Parameters, collectionName, grainId);
        return command;
    }

    private void AddItemsKey(NpgsqlParameterCollection parameters, string collectionName, GrainId grainId)
    {
        parameters.AddWithValue("service", _serviceId);
        parameters.AddWithValue("type", grainId.Type.Value);
        parameters.AddWithValue("key", grainId.Key);
        parameters.AddWithValue("collection", collectionName);
    }
}
