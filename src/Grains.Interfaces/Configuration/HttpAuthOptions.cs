namespace Bifro.Configuration;

/// <summary>The http provider: a JSON callout per authentication and per permission check. Section "Bifro:Auth:Http".</summary>
public sealed class HttpAuthOptions
{
    /// <summary>Where CONNECT credentials are POSTed (an absolute http or https URL); required.</summary>
    public string? AuthenticateUrl { get; set; }

    /// <summary>Where permission checks are POSTed (an absolute http or https URL); required.</summary>
    public string? CheckPermissionUrl { get; set; }

    /// <summary>How long one request may take before it counts as an error, which denies (2 seconds by default).</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How long an allow answer (ok, granted) is reused for the same request (30 seconds by default; 0 turns it off).</summary>
    public TimeSpan CacheTtl { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long a refusal (bad credentials, not authorized, banned, denied) is reused (5 seconds by default; 0 turns it off). Errors are never cached.</summary>
    public TimeSpan NegativeCacheTtl { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Answers remembered at most, per kind (10,000 by default).</summary>
    public int CacheSize { get; set; } = 10_000;

    /// <summary>Headers sent with every request, such as an Authorization header for the auth service.</summary>
    public Dictionary<string, string> Headers { get; set; } = new(StringComparer.OrdinalIgnoreCase);
}
