namespace Bifro.Configuration;

/// <summary>
/// The scram provider: MQTT 5.0 enhanced authentication with Authentication Method "SCRAM-SHA-256" over the
/// file or postgres user store, whose ACL rules authorize. Section "Bifro:Auth:Scram".
/// </summary>
public sealed class ScramAuthOptions
{
    /// <summary>"file" (users in Bifro:Auth:File:Path) or "postgres" (Bifro:Auth:Postgres); required.</summary>
    public string? Store { get; set; }

    /// <summary>
    /// Whether CONNECT without an Authentication Method may still authenticate with a password (3.x clients),
    /// checked against the user's password hash or its SCRAM credentials (true by default).
    /// </summary>
    public bool AllowPlainPassword { get; set; } = true;
}
