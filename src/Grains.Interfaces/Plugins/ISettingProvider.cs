namespace Bifro.Grains;

/// <summary>
/// Per-tenant settings and limits (BifroMQ's ISettingProvider). One instance serves the node; by default the
/// settings come from configuration: "Bifro:Tenants:Default:*", overlaid by "Bifro:Tenants:{tenantId}:*".
/// A connection asks once, at CONNECT, right after authentication named its tenant, and keeps that snapshot
/// for its life; inboxes and retained-message shards ask when they activate. Calls come concurrently and
/// should be answered from memory. An error or an answer that takes longer than Bifro:Auth:Timeout
/// refuses the CONNECT (fail closed: 5.0 CONNACK 0x80, 3.x 3).
/// </summary>
public interface ISettingProvider
{
    /// <summary>The settings of <paramref name="tenantId"/>; a tenant without settings of its own gets the defaults.</summary>
    ValueTask<TenantSettings> GetSettingsAsync(string tenantId, CancellationToken cancellationToken);
}
