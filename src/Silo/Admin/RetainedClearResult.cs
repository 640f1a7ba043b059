namespace Bifro.Silo.Admin;

/// <summary>How many retained messages were cleared.</summary>
internal sealed record RetainedClearResult(string Tenant, int Cleared, List<string> Topics);
