namespace Bifro.Configuration;

/// <summary>
/// The SQLite database of a single node: grain state and reminders in one file under the node's data
/// directory (e.g. "data/bifro.db"). Used by AddSqliteGrainStorage and UseSqliteReminderService.
/// </summary>
public sealed class SqliteStorageOptions
{
    /// <summary>
    /// The database file (no default: required). A relative path is relative to the working directory;
    /// a missing directory is created. In-memory databases (":memory:") are refused: each pooled
    /// connection would see a database of its own.
    /// </summary>
    public string? DataSource { get; set; }

    /// <summary>
    /// How long a statement waits for a lock held by another connection to the file (another silo in
    /// this process, a backup tool) before failing with SQLITE_BUSY (30 seconds by default).
    /// </summary>
    public TimeSpan BusyTimeout { get; set; } = TimeSpan.FromSeconds(30);
}
