namespace Bifro.Grains;

/// <summary>
/// A session's key, "{tenant}/{clientId}": the key of its Session and Inbox grains and of its routes.
/// Tenant ids contain no '/', so the first '/' separates them; client ids may contain anything.
/// </summary>
public static class SessionKey
{
    public const string DefaultTenant = "default";

    public static string Create(string tenant, string clientId) => string.Concat(tenant, "/", clientId);

    public static string TenantOf(string sessionKey)
    {
        var slash = sessionKey.IndexOf('/');
        return slash < 0 ? sessionKey : sessionKey[..slash];
    }

    public static string ClientIdOf(string sessionKey)
    {
        var slash = sessionKey.IndexOf('/');
        return slash < 0 ? string.Empty : sessionKey[(slash + 1)..];
    }

    /// <summary>The key of shard <paramref name="shard"/> of a per-tenant grain (routes, retained messages).</summary>
    public static string Shard(string tenant, int shard) => string.Concat(tenant, "/", shard.ToString(System.Globalization.CultureInfo.InvariantCulture));
}
