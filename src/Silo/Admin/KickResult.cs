namespace Bifro.Silo.Admin;

/// <summary>The answer to a kick or an expiry: whether a connection was closed.</summary>
internal sealed record KickResult(string Tenant, string ClientId, bool Disconnected, bool SessionEnded);
