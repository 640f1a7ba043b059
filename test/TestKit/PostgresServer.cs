using System.Diagnostics;
using Npgsql;

namespace Bifro.TestKit;

/// <summary>
/// A real PostgreSQL for tests: the server .ci/run started (BIFRO_TEST_POSTGRES), or, when run locally
/// without it, a throwaway server this process starts once (deploy/scripts/pg-throwaway.sh) and stops
/// at exit. Each test gets a database of its own.
/// </summary>
public static class PostgresServer
{
    private static readonly SemaphoreSlim s_gate = new(1, 1);
    private static string? s_serverConnectionString;
    private static string? s_ownedDirectory;

    /// <summary>A new, empty database; its connection string.</summary>
    public static async Task<string> CreateDatabaseAsync(string? prefix = null)
    {
        var server = await ServerAsync().ConfigureAwait(false);
        var name = $"{prefix ?? "bifro_test"}_{Guid.NewGuid():N}"[..Math.Min(63, (prefix ?? "bifro_test").Length + 33)];
        await using (var connection = new NpgsqlConnection(server))
        {
            await connection.OpenAsync().ConfigureAwait(false);
            await using var command = connection.CreateCommand();
            command.CommandText = $"CREATE DATABASE \"{name}\"";
            await command.ExecuteNonQueryAsync().ConfigureAwait(false);
        }

        return new NpgsqlConnectionStringBuilder(server) { Database = name }.ConnectionString;
    }

    private static async Task<string> ServerAsync()
    {
        if (s_serverConnectionString is { } known)
        {
            return known;
        }

        await s_gate.WaitAsync().ConfigureAwait(false);
        try
        {
            if (s_serverConnectionString is { } raced)
            {
                return raced;
            }

            var configured = Environment.GetEnvironmentVariable("BIFRO_TEST_POSTGRES");
            s_serverConnectionString = string.IsNullOrWhiteSpace(configured) ? await StartThrowawayAsync().ConfigureAwait(false) : configured;
            return s_serverConnectionString;
        }
        finally
        {
            s_gate.Release();
        }
    }

    private static async Task<string> StartThrowawayAsync()
    {
        var script = Path.Combine(RepositoryPaths.Root, "deploy", "scripts", "pg-throwaway.sh");
        var result = await ExternalProcess.RunAsync(script, ["start"], TimeSpan.FromSeconds(90)).ConfigureAwait(false);
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException("Could not start a throwaway PostgreSQL server (is the postgresql package installed?).\n" + result);
        }

        string? connectionString = null;
        foreach (var line in result.StandardOutput.Split('\n'))
        {
            if (line.StartsWith("export BIFRO_TEST_POSTGRES='", StringComparison.Ordinal))
            {
                connectionString = line["export BIFRO_TEST_POSTGRES='".Length..].TrimEnd('\'', '\r');
            }
            else if (line.StartsWith("export BIFRO_PG_DIR='", StringComparison.Ordinal))
            {
                s_ownedDirectory = line["export BIFRO_PG_DIR='".Length..].TrimEnd('\'', '\r');
            }
        }

        AppDomain.CurrentDomain.ProcessExit += (_, _) => StopThrowaway(script);
        return connectionString ?? throw new InvalidOperationException("pg-throwaway.sh printed no connection string.\n" + result);
    }

    private static void StopThrowaway(string script)
    {
        if (s_ownedDirectory is null)
        {
            return;
        }

        using var stop = Process.Start(new ProcessStartInfo(script) { ArgumentList = { "stop", s_ownedDirectory }, UseShellExecute = false });
        stop?.WaitForExit(30_000);
    }
}
