namespace Bifro.Silo.Admin;

/// <summary>The bans in force in one deny list (a tenant's, or the cluster-wide one), by id.</summary>
internal sealed record BanList(string Scope, List<BanView> Bans);
