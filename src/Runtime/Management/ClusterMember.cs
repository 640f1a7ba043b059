namespace Bifro.Runtime.Management;

/// <summary>One silo as the membership view knows it (Orleans' ClusterMember).</summary>
/// <param name="Address">Its silo address, "ip:port@generation".</param>
/// <param name="Name">The name it joined with.</param>
/// <param name="Status">Its status in the membership table.</param>
/// <param name="GatewayPort">Where cluster clients (edge-only nodes) connect to it; 0 without a gateway.</param>
/// <param name="IsLocal">Whether it is the node that answered.</param>
internal sealed record ClusterMember(string Address, string Name, SiloStatus Status, int GatewayPort, bool IsLocal);
