namespace Bifro.Silo.Admin;

/// <summary>
/// A ban to add: to <see cref="Tenant"/>'s deny list ("default" if not given), or with <see cref="Cluster"/>
/// to the cluster-wide one that CONNECT checks before authentication. <see cref="Kind"/> is ClientId, User,
/// Address or Cidr; without <see cref="DurationSeconds"/> the ban lasts until it is removed.
/// </summary>
internal sealed record BanAddRequest(string? Tenant, bool Cluster, string? Kind, string? Value, long? DurationSeconds, string? Reason);
