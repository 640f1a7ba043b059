namespace Bifro.Silo.Admin;

/// <summary>One ban of a deny list.</summary>
internal sealed record BanView(string Id, string Scope, string Kind, string Value, DateTimeOffset CreatedAt, DateTimeOffset? ExpiresAt, string? Reason, string? Source);
