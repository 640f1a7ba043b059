using System.Globalization;
using Bifro.Configuration;
using Npgsql;

namespace Bifro.Runtime.Providers.Reminders.Postgres;

/// <summary>Durable reminders in PostgreSQL (deploy/postgresql/04-bifro-reminders.sql), keyed by ServiceId.</summary>
internal sealed class PostgresReminderTable : IReminderTable, IDisposable
{
    private const string Columns = "grain_id, reminder_name, start_at, period_ms, etag";

    private readonly string _serviceId;
    private readonly NpgsqlDataSource _dataSource;

    public PostgresReminderTable(PostgresStorageOptions options, ClusterOptions cluster)
    {
        _serviceId = cluster.ServiceId;
        _dataSource = NpgsqlDataSource.Create(options.ConnectionString
            ?? throw new InvalidOperationException("Bifro:Storage:Postgres:ConnectionString is required."));
    }

    public Task InitAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task<IReadOnlyList<ReminderEntry>> ReadAllAsync(CancellationToken cancellationToken)
    {
        await using var command = _dataSource.CreateCommand($"SELECT {Columns} FROM bifro_reminders WHERE service_id = @service");
        command.Parameters.AddWithValue("service", _serviceId);
        return await ReadAsync(command, cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<ReminderEntry>> ReadRowsAsync(GrainId grainId)
    {
        await using var command = _dataSource.CreateCommand($"SELECT {Columns} FROM bifro_reminders WHERE service_id = @service AND grain_id = @grain");
        command.Parameters.AddWithValue("service", _serviceId);
        command.Parameters.AddWithValue("grain", grainId.ToString());
        return await ReadAsync(command, CancellationToken.None).ConfigureAwait(false);
    }

    public async Task<ReminderEntry?> ReadRowAsync(GrainId grainId, string reminderName)
    {
        await using var command = _dataSource.CreateCommand($"SELECT {Columns} FROM bifro_reminders WHERE service_id = @service AND grain_id = @grain AND reminder_name = @name");
        command.Parameters.AddWithValue("service", _serviceId);
        command.Parameters.AddWithValue("grain", grainId.ToString());
        command.Parameters.AddWithValue("name", reminderName);
        var rows = await ReadAsync(command, CancellationToken.None).ConfigureAwait(false);
        return rows.Count == 0 ? null : rows[0];
    }

    public async Task<string> UpsertRowAsync(GrainId grainId, string reminderName, DateTime startAt, TimeSpan period)
    {
        // A new row starts at a random version, so an etag read before a delete never matches a later row of the same name.
        await using var command = _dataSource.CreateCommand("""
            INSERT INTO bifro_reminders (service_id, grain_id, reminder_name, grain_hash, start_at, period_ms, etag)
            VALUES (@service, @grain, @name, @hash, @start, @period, @etag)
            ON CONFLICT (service_id, grain_id, reminder_name)
            DO UPDATE SET start_at = excluded.start_at, period_ms = excluded.period_ms, etag = bifro_reminders.etag + 1
            RETURNING etag
            """);
        command.Parameters.AddWithValue("service", _serviceId);
        command.Parameters.AddWithValue("grain", grainId.ToString());
        command.Parameters.AddWithValue("name", reminderName);
        command.Parameters.AddWithValue("hash", (long)grainId.GetUniformHashCode());
        command.Parameters.AddWithValue("start", DateTime.SpecifyKind(startAt, DateTimeKind.Utc));
        command.Parameters.AddWithValue("period", period == Timeout.InfiniteTimeSpan ? -1L : (long)period.TotalMilliseconds);
        command.Parameters.AddWithValue("etag", Random.Shared.NextInt64(1, long.MaxValue / 2));
        var etag = (long)(await command.ExecuteScalarAsync().ConfigureAwait(false))!;
        return etag.ToString(CultureInfo.InvariantCulture);
    }

    public async Task<bool> RemoveRowAsync(GrainId grainId, string reminderName, string eTag)
    {
        if (!long.TryParse(eTag, NumberStyles.Integer, CultureInfo.InvariantCulture, out var expected))
        {
            return false;
        }

        await using var command = _dataSource.CreateCommand(
            "DELETE FROM bifro_reminders WHERE service_id = @service AND grain_id = @grain AND reminder_name = @name AND etag = @etag");
        command.Parameters.AddWithValue("service", _serviceId);
        command.Parameters.AddWithValue("grain", grainId.ToString());
        command.Parameters.AddWithValue("name", reminderName);
        command.Parameters.AddWithValue("etag", expected);
        return await command.ExecuteNonQueryAsync().ConfigureAwait(false) == 1;
    }

    public void Dispose() => _dataSource.Dispose();

    private static async Task<IReadOnlyList<ReminderEntry>> ReadAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var entries = new List<ReminderEntry>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var period = reader.GetInt64(3);
            entries.Add(new ReminderEntry(
                GrainId.Parse(reader.GetString(0)),
                reader.GetString(1),
                DateTime.SpecifyKind(reader.GetDateTime(2), DateTimeKind.Utc),
                period < 0 ? Timeout.InfiniteTimeSpan : TimeSpan.FromMilliseconds(period),
                reader.GetInt64(4).ToString(CultureInfo.InvariantCulture)));
        }

        return entries;
    }
}
