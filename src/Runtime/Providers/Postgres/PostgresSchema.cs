using Npgsql;

namespace Bifro.Runtime.Providers.Postgres;

/// <summary>
/// Applies the PostgreSQL schema (deploy/postgresql/*.sql, embedded): Orleans' clustering tables and
/// queries, and Bifro's storage and reminder tables. Every script is idempotent, so applying it again
/// is safe; an advisory lock keeps two nodes from applying it at the same moment.
/// </summary>
public static class PostgresSchema
{
    private const long MigrationLockKey = 0x42494652_4F000001; // "BIFRO" + 1

    /// <summary>The schema scripts, in the order they are applied.</summary>
    public static IReadOnlyList<(string Name, string Sql)> Scripts { get; } = Load();

    public static async Task ApplyAsync(string connectionString, CancellationToken cancellationToken = default)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (var lockCommand = new NpgsqlCommand($"SELECT pg_advisory_lock({MigrationLockKey})", connection))
        {
            await lockCommand.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        try
        {
            foreach (var (_, sql) in Scripts)
            {
                await using var command = new NpgsqlCommand(sql, connection);
                await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            await using var unlock = new NpgsqlCommand($"SELECT pg_advisory_unlock({MigrationLockKey})", connection);
            await unlock.ExecuteNonQueryAsync(CancellationToken.None).ConfigureAwait(false);
        }
    }

    private static List<(string, string)> Load()
    {
        var assembly = typeof(PostgresSchema).Assembly;
        var scripts = new List<(string, string)>();
        foreach (var name in assembly.GetManifestResourceNames().Where(n => n.StartsWith("Bifro.Schema.", StringComparison.Ordinal)).Order(StringComparer.Ordinal))
        {
            using var stream = assembly.GetManifestResourceStream(name)!;
            using var reader = new StreamReader(stream);
            scripts.Add((name["Bifro.Schema.".Length..], reader.ReadToEnd()));
        }

        return scripts;
    }
}
