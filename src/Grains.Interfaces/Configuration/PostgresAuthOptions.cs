namespace Bifro.Configuration;

/// <summary>
/// The postgres provider: users and ACL rules in the tables of deploy/postgresql/05-bifro-auth.sql.
/// Section "Bifro:Auth:Postgres".
/// </summary>
public sealed class PostgresAuthOptions
{
    /// <summary>An Npgsql connection string; required.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>
    /// How long a user row (or its absence) and the ACL rules are reused before they are read again (10 seconds
    /// by default; 0 reads on every CONNECT and check). A warm CONNECT makes no query; a cold one, one per table.
    /// </summary>
    public TimeSpan CacheTtl { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Users remembered at most (10,000 by default); past it, expired ones go, then all.</summary>
    public int MaxCachedUsers { get; set; } = 10_000;

    /// <summary>"cn", "san-dns" or "san-email": a client certificate's name becomes the user name; null (the default): never.</summary>
    public string? CertificateUsername { get; set; }
}
