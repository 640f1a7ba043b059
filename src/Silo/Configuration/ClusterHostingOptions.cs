namespace Bifro.Silo.Configuration;

/// <summary>
/// How the node finds its cluster. Section "Bifro:Cluster", which also holds ClusterId and ServiceId
/// (ClusterOptions), Transport (SiloTransportOptions), Membership (ClusterMembershipOptions) and
/// Messaging (MessagingOptions).
/// </summary>
public sealed class ClusterHostingOptions
{
    public const string SectionName = "Bifro:Cluster";

    /// <summary>"none" (the default: one node on its own, no database) or "postgres" (membership in PostgreSQL).</summary>
    public string Provider { get; set; } = "none";

    public ClusterPostgresOptions Postgres { get; set; } = new();

    public bool Enabled => Provider == "postgres";
}

/// <summary>Section "Bifro:Cluster:Postgres": the database that holds membership, grain state and reminders.</summary>
public sealed class ClusterPostgresOptions
{
    /// <summary>An Npgsql connection string.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>Apply the schema (as `bifro migrate` does) before joining (false by default).</summary>
    public bool MigrateOnStart { get; set; }
}
