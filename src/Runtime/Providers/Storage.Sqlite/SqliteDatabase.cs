using Bifro.Configuration;
using Microsoft.Data.Sqlite;

namespace Bifro.Runtime.Providers.Storage.Sqlite;

/// <summary>
/// One SQLite database file, in WAL mode: reads use pooled connections and run in parallel, and every
/// write goes through one connection, one at a time.
/// </summary>
/// <remarks>
/// Why a single serialized writer rather than a pool of writers: SQLite lets one writer at a time hold
/// the file anyway, so a pool adds no write throughput, only lock contention; and Microsoft.Data.Sqlite
/// is synchronous underneath, so a writer waiting in SQLite's busy handler would block a thread-pool
/// thread (there are two cores). Here concurrent writes from many grains wait on an async semaphore,
/// holding no thread, and none can fail with SQLITE_BUSY because of another write of this object. The busy
/// timeout still covers other connections to the file: the reminder table, another silo in the process.
/// Each write is a single statement (an upsert with RETURNING, a conditional update), so it is atomic
/// without an explicit transaction. synchronous=NORMAL is the WAL setting that survives a process
/// crash; a power loss may lose the last commits.
/// </remarks>
internal sealed class SqliteDatabase : IDisposable
{
    private readonly string _connectionString;
    private readonly string _path;
    private readonly int _busyTimeoutMs;
    private readonly string _schema;
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly object _initLock = new();
    private SqliteConnection? _writer;
    private Task? _initialized;
    private bool _disposed;

    /// <param name="options">The file and busy timeout.</param>
    /// <param name="schema">Statements that create this user's tables if they do not exist.</param>
    public SqliteDatabase(SqliteStorageOptions options, string schema)
    {
        _path = Path.GetFullPath(options.DataSource!);
        _busyTimeoutMs = (int)options.BusyTimeout.TotalMilliseconds;
        _schema = schema;
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = _path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Cache = SqliteCacheMode.Private,
            Pooling = true,
            DefaultTimeout = Math.Max(1, _busyTimeoutMs / 1000),
        }.ToString();
    }

    public string FilePath => _path;

    /// <summary>Creates the directory, switches the file to WAL and creates the tables; once.</summary>
    public Task InitializeAsync()
    {
        lock (_initLock)
        {
            if (_initialized is { IsFaulted: true } or { IsCanceled: true })
            {
                // A failed start (a directory that could not be created) is retried by the next caller.
                _initialized = null;
            }

            return _initialized ??= WriteAsync(connection =>
            {
                using var command = connection.CreateCommand();
                command.CommandText = "PRAGMA journal_mode=WAL;";
                command.ExecuteNonQuery();
                command.CommandText = _schema;
                command.ExecuteNonQuery();
                return 0;
            }, initializing: true);
        }
    }

    /// <summary>Runs <paramref name="read"/> on a pooled connection.</summary>
    public async Task<T> ReadAsync<T>(Func<SqliteConnection, T> read)
    {
        await EnsureInitializedAsync().ConfigureAwait(false);
        using var connection = Open();
        return read(connection);
    }

    /// <summary>Runs <paramref name="write"/> on the writer connection, after the writes queued before it.</summary>
    public Task<T> WriteAsync<T>(Func<SqliteConnection, T> write) => WriteAsync(write, initializing: false);

    public void Dispose()
    {
        _writeLock.Wait();
        try
        {
            _disposed = true;
            _writer?.Dispose();
            _writer = null;

            // Close the idle pooled readers too, so that a stopped silo leaves the file closed.
            using var connection = new SqliteConnection(_connectionString);
            SqliteConnection.ClearPool(connection);
        }
        finally
        {
            _writeLock.Release();
        }
    }

    private async Task<T> WriteAsync<T>(Func<SqliteConnection, T> write, bool initializing)
    {
        if (!initializing)
        {
            await EnsureInitializedAsync().ConfigureAwait(false);
        }

        await _writeLock.WaitAsync().ConfigureAwait(false);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_writer is null)
            {
                if (initializing && Path.GetDirectoryName(_path) is { Length: > 0 } directory)
                {
                    Directory.CreateDirectory(directory);
                }

                _writer = Open();
            }

            return write(_writer);
        }
        finally
        {
            _writeLock.Release();
        }
    }

    private Task EnsureInitializedAsync() =>
        Volatile.Read(ref _initialized) is { IsCompletedSuccessfully: true } done ? done : InitializeAsync();

    private SqliteConnection Open()
    {
        var connection = new SqliteConnection(_connectionString);
        try
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = $"PRAGMA busy_timeout = {_busyTimeoutMs}; PRAGMA synchronous = NORMAL;";
            command.ExecuteNonQuery();
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }
}
