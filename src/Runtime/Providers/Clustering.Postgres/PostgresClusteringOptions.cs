namespace Bifro.Configuration;

/// <summary>Membership in PostgreSQL (section Bifro:Cluster:Postgres).</summary>
public sealed class PostgresClusteringOptions
{
    /// <summary>The Npgsql connection string; required.</summary>
    public string? ConnectionString { get; set; }
}
