using Bifro.Configuration;
using Microsoft.Extensions.Options;

namespace Bifro.Runtime.Providers.Storage.Sqlite;

/// <summary>Checks <see cref="SqliteStorageOptions"/> at start, naming the configuration key at fault.</summary>
internal sealed class SqliteStorageOptionsValidator : IValidateOptions<SqliteStorageOptions>
{
    public ValidateOptionsResult Validate(string? name, SqliteStorageOptions options)
    {
        var section = name == SqliteReminderTable.OptionsName ? "Bifro:Reminders:Sqlite" : $"Bifro:Storage:{name}";
        var failures = new List<string>();
        if (string.IsNullOrWhiteSpace(options.DataSource))
        {
            failures.Add($"{section}:DataSource must name the SQLite database file, e.g. 'data/bifro.db'.");
        }
        else if (options.DataSource.Trim().Equals(":memory:", StringComparison.OrdinalIgnoreCase))
        {
            failures.Add($"{section}:DataSource must be a file: an in-memory database is private to one connection.");
        }

        if (options.BusyTimeout <= TimeSpan.Zero || options.BusyTimeout.TotalMilliseconds > int.MaxValue)
        {
            failures.Add($"{section}:BusyTimeout must be positive and at most {TimeSpan.FromMilliseconds(int.MaxValue)}; it is {options.BusyTimeout}.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
