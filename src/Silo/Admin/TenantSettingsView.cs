namespace Bifro.Silo.Admin;

/// <summary>A tenant's settings, as the settings provider gives them.</summary>
internal sealed record TenantSettingsView(string Tenant, Bifro.Grains.TenantSettings Settings);
