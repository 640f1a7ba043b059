using System.Globalization;
using Bifro.Configuration;
using Bifro.Hosting;
using Bifro.Runtime.Messaging;
using Bifro.Runtime.Storage;
using Bifro.Serialization;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Bifro.Runtime.Providers.Storage.Sqlite;

/// <summary>
/// Grain state in a SQLite file, keyed by (ServiceId, grain type, grain key, state name). The etag is
/// the row's version, an integer that every write and clear advances; a write or clear whose etag does
/// not match the stored one throws <see cref="InconsistentStateException"/>, as MemoryGrainStorage does.
/// </summary>
/// <remarks>
/// ClearStateAsync keeps the row as a tombstone (payload NULL, version advanced) rather than deleting
/// it. Readers see no record and a null etag, exactly as after a delete, but a version number is never
/// reused: a writer holding an etag from before the clear cannot overwrite a record written after it.
/// </remarks>
internal sealed partial class SqliteGrainStorage : IGrainStorage, IGrainCollectionStorage, ISiloParticipant, IDisposable
{
    /// <summary>Storage initializes before anything that could activate grains.</summary>
    public const int ParticipantStage = 1000;

    internal const string Schema = """
        CREATE TABLE IF NOT EXISTS bifro_grain_state (
            service_id     TEXT    NOT NULL,
            grain_type     TEXT    NOT NULL,
            grain_key      TEXT    NOT NULL,
            state_name     TEXT    NOT NULL,
            etag           INTEGER NOT NULL,
            payload        BLOB,
            modified_at_ms INTEGER NOT NULL,
            PRIMARY KEY (service_id, grain_type, grain_key, state_name)
        );
        CREATE TABLE IF NOT EXISTS bifro_grain_items (
            service_id     TEXT    NOT NULL,
            grain_type     TEXT    NOT NULL,
            grain_key      TEXT    NOT NULL,
            collection     TEXT    NOT NULL,
            item_key       TEXT    NOT NULL,
            payload        BLOB    NOT NULL,
            PRIMARY KEY (service_id, grain_type, grain_key, collection, item_key)
        ) WITHOUT ROWID;
        """;

    private const string Key = "service_id = $service AND grain_type = $type AND grain_key = $key AND state_name = $state";

    private const string SelectSql = $"SELECT etag, payload FROM bifro_grain_state WHERE {Key};";

    // Inserts version 1, or revives a tombstone; a live row is left alone and nothing is returned.
    private const string InsertSql = """
        INSERT INTO bifro_grain_state (service_id, grain_type, grain_key, state_name, etag, payload, modified_at_ms)
        VALUES ($service, $type, $key, $state, 1, $payload, $now)
        ON CONFLICT (service_id, grain_type, grain_key, state_name)
        DO UPDATE SET etag = etag + 1, payload = excluded.payload, modified_at_ms = excluded.modified_at_ms
        WHERE payload IS NULL
        RETURNING etag;
        """;

    private const string UpdateSql = $"""
        UPDATE bifro_grain_state SET etag = etag + 1, payload = $payload, modified_at_ms = $now
        WHERE {Key} AND etag = $etag AND payload IS NOT NULL
        RETURNING etag;
        """;

    private const string ClearSql = $"""
        UPDATE bifro_grain_state SET etag = etag + 1, payload = NULL, modified_at_ms = $now
        WHERE {Key} AND etag = $etag AND payload IS NOT NULL;
        """;

    private readonly string _name;
    private readonly string _serviceId;
    private readonly SqliteDatabase _database;
    private readonly TimeProvider _time;
    private readonly IServiceProvider _services;
    private SerializerSession? _session;

    public SqliteGrainStorage(string name, SqliteStorageOptions options, IOptions<ClusterOptions> cluster, TimeProvider time, IServiceProvider services)
    {
        _name = name;
        _serviceId = cluster.Value.ServiceId;
        _database = new SqliteDatabase(options, Schema);
        _time = time;
        _services = services;
    }

    public int Stage => ParticipantStage;

    public string DatabasePath => _database.FilePath;

    // State may hold grain references, which are read back bound to this silo's runtime. Resolved on
    // first use: the runtime depends, through the catalog, on storage.
    private SerializerSession Session => _session ??= new SerializerSession(_services.GetService<IGrainReferenceRuntime>());

    public Task StartAsync(CancellationToken cancellationToken) => _database.InitializeAsync().WaitAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var (version, payload) = await ReadRowAsync(stateName, grainId).ConfigureAwait(false);
        StoredRow.Load(grainState, version, payload, Session);
    }

    public async Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var payload = Serializer.Serialize(grainState.State, Session);
        var etag = grainState.ETag;
        long? written = null;
        if (etag is null)
        {
            written = await _database.WriteAsync(connection =>
            {
                using var command = Command(connection, InsertSql, stateName, grainId);
                command.Parameters.AddWithValue("$payload", payload);
                command.Parameters.AddWithValue("$now", Now());
                return command.ExecuteScalar() is long version ? version : (long?)null;
            }).ConfigureAwait(false);
        }
        else if (TryParseEtag(etag, out var expected))
        {
            written = await _database.WriteAsync(connection =>
            {
                using var command = Command(connection, UpdateSql, stateName, grainId);
                command.Parameters.AddWithValue("$payload", payload);
                command.Parameters.AddWithValue("$now", Now());
                command.Parameters.AddWithValue("$etag", expected);
                return command.ExecuteScalar() is long version ? version : (long?)null;
            }).ConfigureAwait(false);
        }

        if (written is null)
        {
            throw await ConflictAsync(stateName, grainId, etag, "write").ConfigureAwait(false);
        }

        grainState.ETag = written.Value.ToString(CultureInfo.InvariantCulture);
        grainState.RecordExists = true;
    }

    public async Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var etag = grainState.ETag;
        var cleared = false;
        if (etag is not null && TryParseEtag(etag, out var expected))
        {
            cleared = await _database.WriteAsync(connection =>
            {
                using var command = Command(connection, ClearSql, stateName, grainId);
                command.Parameters.AddWithValue("$now", Now());
                command.Parameters.AddWithValue("$etag", expected);
                return command.ExecuteNonQuery() == 1;
            }).ConfigureAwait(false);
        }

        if (!cleared)
        {
            // Nothing matched: fine if there is no record (clearing nothing), a conflict if another
            // writer's record is there.
            var (_, payload) = await ReadRowAsync(stateName, grainId).ConfigureAwait(false);
            if (payload is not null)
            {
                throw await ConflictAsync(stateName, grainId, etag, "clear").ConfigureAwait(false);
            }
        }

        grainState.ETag = null;
        grainState.RecordExists = false;
        grainState.State = StateFactory<T>.Create();
    }

    public void Dispose() => _database.Dispose();

    private Task<(long? Version, byte[]? Payload)> ReadRowAsync(string stateName, GrainId grainId) =>
        _database.ReadAsync(connection =>
        {
            using var command = Command(connection, SelectSql, stateName, grainId);
            using var reader = command.ExecuteReader();
            if (!reader.Read())
            {
                return ((long?)null, (byte[]?)null);
            }

            return (reader.GetInt64(0), reader.IsDBNull(1) ? null : (byte[])reader.GetValue(1));
        });

    private async Task<InconsistentStateException> ConflictAsync(string stateName, GrainId grainId, string? etag, string operation)
    {
        var (version, payload) = await ReadRowAsync(stateName, grainId).ConfigureAwait(false);
        var stored = payload is null ? null : version?.ToString(CultureInfo.InvariantCulture);
        return new InconsistentStateException(
            $"The {operation} of state '{stateName}' of {grainId} in SQLite storage '{_name}' lost to another writer.", stored, etag);
    }

    private SqliteCommand Command(SqliteConnection connection, string sql, string stateName, GrainId grainId)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Parameters.AddWithValue("$service", _serviceId);
        command.Parameters.AddWithValue("$type", grainId.Type.Value);
        command.Parameters.AddWithValue("$key", grainId.Key);
        command.Parameters.AddWithValue("$state", stateName);
        return command;
    }

    private long Now() => _time.GetUtcNow().ToUnixTimeMilliseconds();

    private static bool TryParseEtag(string etag, out long version) =>
        long.TryParse(etag, NumberStyles.None, CultureInfo.InvariantCulture, out version);
}
