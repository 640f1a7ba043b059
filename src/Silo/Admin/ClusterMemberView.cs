namespace Bifro.Silo.Admin;

/// <summary>One silo of the membership.</summary>
internal sealed record ClusterMemberView(string Address, string Name, string Status, int GatewayPort, bool IsLocal);
