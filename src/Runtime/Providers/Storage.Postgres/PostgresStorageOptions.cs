namespace Bifro.Configuration;

/// <summary>Grain storage and reminders in PostgreSQL (section Bifro:Storage:Postgres).</summary>
public sealed class PostgresStorageOptions
{
    /// <summary>The Npgsql connection string; required.</summary>
    public string? ConnectionString { get; set; }
}
