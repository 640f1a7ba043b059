namespace Bifro.Configuration;

/// <summary>Authentication and authorization, bound from "Bifro:Auth". The node refuses to start without <see cref="Provider"/>.</summary>
public sealed class AuthOptions
{
    public const string SectionName = "Bifro:Auth";

    /// <summary>"file", "postgres", "http", "scram", "allow-all" or "plugin"; no default: a node without a provider refuses to start.</summary>
    public string? Provider { get; set; }

    /// <summary>The file provider's settings (Provider = "file").</summary>
    public FileAuthOptions File { get; set; } = new();

    /// <summary>The postgres provider's settings (Provider = "postgres", or "scram" over the postgres store).</summary>
    public PostgresAuthOptions Postgres { get; set; } = new();

    /// <summary>The http provider's settings (Provider = "http").</summary>
    public HttpAuthOptions Http { get; set; } = new();

    /// <summary>The scram provider's settings (Provider = "scram").</summary>
    public ScramAuthOptions Scram { get; set; } = new();

    /// <summary>The plugin provider's settings (Provider = "plugin").</summary>
    public AuthPluginOptions Plugin { get; set; } = new();

    /// <summary>How long one provider call may take before it counts as an error and denies (5 seconds by default).</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How long a connection remembers a Granted or Denied decision (60 seconds by default; 0 turns the cache off).</summary>
    public TimeSpan DecisionCacheTtl { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Decisions one connection remembers at most (256 by default).</summary>
    public int DecisionCacheSize { get; set; } = 256;

    /// <summary>A refused CONNECT (bad credentials, not authorized, banned, provider error) is answered after a random delay of at least this (0.1 seconds by default).</summary>
    public TimeSpan FailedConnectDelayMin { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>… and at most this (2 seconds by default).</summary>
    public TimeSpan FailedConnectDelayMax { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// What a denied QoS 0 PUBLISH does: "disconnect" (the default: 5.0 DISCONNECT 0x87, 3.x close) or
    /// "drop" (silently discarded). Denied QoS 1 and 2 publishes always get PUBACK / PUBREC 0x87 (3.x: close).
    /// </summary>
    public string DeniedQoS0Publish { get; set; } = "disconnect";

    /// <summary>True when denied QoS 0 publishes are dropped rather than disconnecting.</summary>
    public bool DropDeniedQoS0Publish => string.Equals(DeniedQoS0Publish, "drop", StringComparison.OrdinalIgnoreCase);
}

/// <summary>The file provider: users and ACL rules in a JSON file. Section "Bifro:Auth:File".</summary>
public sealed class FileAuthOptions
{
    /// <summary>The users and ACL file (relative paths are resolved against the working directory).</summary>
    public string? Path { get; set; }
}

/// <summary>An auth provider class from a plugin assembly. Section "Bifro:Auth:Plugin".</summary>
public sealed class AuthPluginOptions
{
    /// <summary>The plugin assembly (a .dll), or a folder holding it; loaded in its own AssemblyLoadContext with its dependencies.</summary>
    public string? Path { get; set; }

    /// <summary>The full name of the class implementing IAuthProvider (it needs a public constructor: parameterless, or taking services the node has, such as IConfiguration or ILogger&lt;T&gt;).</summary>
    public string? TypeName { get; set; }
}
