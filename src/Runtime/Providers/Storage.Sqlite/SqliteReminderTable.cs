using System.Globalization;
using Bifro.Configuration;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace Bifro.Runtime.Providers.Storage.Sqlite;

/// <summary>
/// Reminders in the node's SQLite file, in a table of their own keyed by (ServiceId, grain id, name),
/// so they survive a restart of the silo. Times are Unix milliseconds (UTC); a period of -1 is a
/// one-shot reminder (<see cref="Timeout.InfiniteTimeSpan"/>).
/// </summary>
internal sealed class SqliteReminderTable : IReminderTable, IDisposable
{
    /// <summary>The name of the reminder table's <see cref="SqliteStorageOptions"/>.</summary>
    public const string OptionsName = "Bifro.Reminders.Sqlite";

    internal const string Schema = """
        CREATE TABLE IF NOT EXISTS bifro_reminders (
            service_id    TEXT    NOT NULL,
            grain_id      TEXT    NOT NULL,
            reminder_name TEXT    NOT NULL,
            grain_hash    INTEGER NOT NULL,
            start_at_ms   INTEGER NOT NULL,
            period_ms     INTEGER NOT NULL,
            etag          INTEGER NOT NULL,
            PRIMARY KEY (service_id, grain_id, reminder_name)
        ) WITHOUT ROWID;
        """;

    private const string Columns = "grain_id, reminder_name, start_at_ms, period_ms, etag";

    // A new row starts at a random version, so that an etag read before a delete never matches the
    // row of a later registration with the same name (a delete forgets the old version).
    private const string UpsertSql = """
        INSERT INTO bifro_reminders (service_id, grain_id, reminder_name, grain_hash, start_at_ms, period_ms, etag)
        VALUES ($service, $grain, $name, $hash, $start, $period, $etag)
        ON CONFLICT (service_id, grain_id, reminder_name)
        DO UPDATE SET start_at_ms = excluded.start_at_ms, period_ms = excluded.period_ms, etag = etag + 1
        RETURNING etag;
        """;

    private readonly string _serviceId;
    private readonly SqliteDatabase _database;

    public SqliteReminderTable(SqliteStorageOptions options, IOptions<ClusterOptions> cluster)
    {
        _serviceId = cluster.Value.ServiceId;
        _database = new SqliteDatabase(options, Schema);
    }

    public Task InitAsync(CancellationToken cancellationToken) => _database.InitializeAsync().WaitAsync(cancellationToken);

    public Task<IReadOnlyList<ReminderEntry>> ReadAllAsync(CancellationToken cancellationToken) =>
        _database.ReadAsync(connection =>
        {
            using var command = Command(connection, $"SELECT {Columns} FROM bifro_reminders WHERE service_id = $service;");
            return ReadEntries(command);
        });

    public Task<IReadOnlyList<ReminderEntry>> ReadRowsAsync(GrainId grainId) =>
        _database.ReadAsync(connection =>
        {
            using var command = Command(connection, $"SELECT {Columns} FROM bifro_reminders WHERE service_id = $service AND grain_id = $grain;");
            command.Parameters.AddWithValue("$grain", grainId.ToString());
            return ReadEntries(command);
        });

    public Task<ReminderEntry?> ReadRowAsync(GrainId grainId, string reminderName) =>
        _database.ReadAsync(connection =>
        {
            using var command = Command(
                connection, $"SELECT {Columns} FROM bifro_reminders WHERE service_id = $service AND grain_id = $grain AND reminder_name = $name;");
            command.Parameters.AddWithValue("$grain", grainId.ToString());
            command.Parameters.AddWithValue("$name", reminderName);
            var rows = ReadEntries(command);
            return rows.Count == 0 ? null : rows[0];
        });

    public Task<string> UpsertRowAsync(GrainId grainId, string reminderName, DateTime startAt, TimeSpan period) =>
        _database.WriteAsync(connection =>
        {
            using var command = Command(connection, UpsertSql);
            command.Parameters.AddWithValue("$grain", grainId.ToString());
            command.Parameters.AddWithValue("$name", reminderName);
            command.Parameters.AddWithValue("$hash", (long)grainId.GetUniformHashCode());
            command.Parameters.AddWithValue("$start", new DateTimeOffset(DateTime.SpecifyKind(startAt, DateTimeKind.Utc)).ToUnixTimeMilliseconds());
            command.Parameters.AddWithValue("$period", period == Timeout.InfiniteTimeSpan ? -1L : (long)period.TotalMilliseconds);
            command.Parameters.AddWithValue("$etag", Random.Shared.NextInt64(1, 1L << 52));
            return ((long)command.ExecuteScalar()!).ToString(CultureInfo.InvariantCulture);
        });

    public Task<bool> RemoveRowAsync(GrainId grainId, string reminderName, string eTag)
    {
        if (!long.TryParse(eTag, NumberStyles.None, CultureInfo.InvariantCulture, out var version))
        {
            return Task.FromResult(false);
        }

        return _database.WriteAsync(connection =>
        {
            using var command = Command(
                connection, "DELETE FROM bifro_reminders WHERE service_id = $service AND grain_id = $grain AND reminder_name = $name AND etag = $etag;");
            command.Parameters.AddWithValue("$grain", grainId.ToString());
            command.Parameters.AddWithValue("$name", reminderName);
            command.Parameters.AddWithValue("$etag", version);
            return command.ExecuteNonQuery() == 1;
        });
    }

    public void Dispose() => _database.Dispose();

    private SqliteCommand Command(SqliteConnection connection, string sql)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Parameters.AddWithValue("$service", _serviceId);
        return command;
    }

    private static IReadOnlyList<ReminderEntry> ReadEntries(SqliteCommand command)
    {
        var entries = new List<ReminderEntry>();
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            var periodMs = reader.GetInt64(3);
            entries.Add(new ReminderEntry(
                GrainId.Parse(reader.GetString(0)),
                reader.GetString(1),
                DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(2)).UtcDateTime,
                periodMs < 0 ? Timeout.InfiniteTimeSpan : TimeSpan.FromMilliseconds(periodMs),
                reader.GetInt64(4).ToString(CultureInfo.InvariantCulture)));
        }

        return entries;
    }
}
