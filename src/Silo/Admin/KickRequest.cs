namespace Bifro.Silo.Admin;

/// <summary>A session whose connection to close, wherever it is; the session itself stays (will, expiry).</summary>
internal sealed record KickRequest(string? Tenant, string? ClientId, string? Reason);
