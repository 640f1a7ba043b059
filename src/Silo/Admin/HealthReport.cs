namespace Bifro.Silo.Admin;

/// <summary>An answer of /health/live or /health/ready: "ok" or "unavailable", and each check with its state.</summary>
internal sealed record HealthReport(string Status, Dictionary<string, string> Checks);
