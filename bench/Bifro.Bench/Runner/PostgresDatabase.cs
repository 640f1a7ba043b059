using System.Diagnostics;
using System.Text.RegularExpressions;
using Npgsql;

namespace Bifro.Bench.Runner;

/// <summary>
/// The database a cross-node run's clusters share: a fresh database on a throwaway PostgreSQL server the runner
/// starts (deploy/scripts/pg-throwaway.sh) and stops, or, with <c>--postgres</c>, on an existing server. Either
/// way the database is created for this run (bifro_bench_&lt;run id&gt;) and dropped at the end, so nothing a run
/// leaves (membership rows, grain state) reaches the next one; each round's cluster also gets its own ClusterId
/// and ServiceId. <see cref="Dispose"/> runs on every exit path: normally, and from <see cref="ExitGuard"/> on a
/// signal.
/// </summary>
internal sealed partial class PostgresDatabase : IDisposable
{
    private static readonly TimeSpan s_scriptTimeout = TimeSpan.FromSeconds(90);
    private readonly string _serverConnectionString;
    private readonly string _database;
    private readonly string? _throwawayScript;
    private readonly string? _throwawayDirectory;
    private readonly TextWriter _log;
    private readonly IDisposable _onSignal;
    private int _disposed;

    private PostgresDatabase(string serverConnectionString, string database, string? script, string? directory, TextWriter log)
    {
        _serverConnectionString = serverConnectionString;
        _database = database;
        _throwawayScript = script;
        _throwawayDirectory = directory;
        _log = log;
        _onSignal = ExitGuard.AddCleanup(Dispose);
        ConnectionString = new NpgsqlConnectionStringBuilder(serverConnectionString) { Database = database }.ConnectionString;
    }

    /// <summary>The run's database, for the nodes' Bifro:Cluster:Postgres:ConnectionString.</summary>
    public string ConnectionString { get; }

    /// <summary>For the report: "throwaway server, 127.0.0.1:port" or "existing server, host:port".</summary>
    public string Description => (_throwawayDirectory is null ? "existing server " : "throwaway server ") + Server(_serverConnectionString) + $", database {_database}";

    /// <param name="serverConnectionString">An existing server (<c>--postgres</c>), or null to start a throwaway one.</param>
    public static async Task<PostgresDatabase> CreateAsync(string? serverConnectionString, string repoRoot, string runId, TextWriter log)
    {
        string? script = null, directory = null;
        if (serverConnectionString is null)
        {
            script = Path.Combine(repoRoot, "deploy", "scripts", "pg-throwaway.sh");
            (serverConnectionString, directory) = await StartThrowawayAsync(script, log);
        }

        var database = "bifro_bench_" + runId.Replace('-', '_');
        var created = new PostgresDatabase(serverConnectionString, database, script, directory, log);
        try
        {
            await using var connection = new NpgsqlConnection(serverConnectionString);
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"CREATE DATABASE \"{database}\"", connection);
            await command.ExecuteNonQueryAsync();
            log.WriteLine($"PostgreSQL for the cross-node runs: {created.Description}");
            return created;
        }
        catch
        {
            created.Dispose();
            throw;
        }
    }

    /// <summary>Drops the database (an existing server) or stops and deletes the throwaway server. Idempotent.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        _onSignal.Dispose();
        if (_throwawayDirectory is not null)
        {
            // Stopping the server deletes its directory, the database with it.
            var (code, output) = RunScript(_throwawayScript!, ["stop", _throwawayDirectory]);
            _log.WriteLine(code == 0 ? $"PostgreSQL throwaway server stopped and {_throwawayDirectory} deleted" : $"pg-throwaway.sh stop failed ({code}): {output}");
            return;
        }

        try
        {
            using var connection = new NpgsqlConnection(_serverConnectionString);
            connection.Open();
            // FORCE ends sessions still open on it (a node that was killed may leave one for a moment).
            using var command = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{_database}\" WITH (FORCE)", connection);
            command.ExecuteNonQuery();
            _log.WriteLine($"PostgreSQL database {_database} dropped");
        }
        catch (Exception e) when (e is NpgsqlException or InvalidOperationException)
        {
            _log.WriteLine($"Could not drop PostgreSQL database {_database}: {e.Message}");
        }
    }

    private static async Task<(string ConnectionString, string Directory)> StartThrowawayAsync(string script, TextWriter log)
    {
        if (!File.Exists(script))
        {
            throw new InvalidOperationException($"{script} not found; pass --postgres to use an existing server.");
        }

        log.WriteLine($"starting a throwaway PostgreSQL server ({script} start)");
        var (code, output) = await Task.Run(() => RunScript(script, ["start"]));
        var values = ExportLine().Matches(output).ToDictionary(m => m.Groups[1].Value, m => m.Groups[2].Value);
        if (code != 0 || !values.TryGetValue("BIFRO_TEST_POSTGRES", out var connectionString) || !values.TryGetValue("BIFRO_PG_DIR", out var directory))
        {
            // A server that started but printed something unexpected would be left behind: stop it if we can.
            if (values.TryGetValue("BIFRO_PG_DIR", out var started))
            {
                RunScript(script, ["stop", started]);
            }

            throw new InvalidOperationException($"pg-throwaway.sh start failed ({code}): {output.Trim()}");
        }

        return (connectionString, directory);
    }

    private static (int Code, string Output) RunScript(string script, string[] arguments) =>
        ToolProcess.Run("/bin/bash", [script, .. arguments], s_scriptTimeout);

    private static string Server(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        return $"{builder.Host}:{builder.Port}";
    }

    [GeneratedRegex("^export (\\w+)='([^']*)'$", RegexOptions.Multiline)]
    private static partial Regex ExportLine();
}
