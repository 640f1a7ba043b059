namespace Bifro.Runtime;

/// <summary>
/// A joining silo could not reach every active silo of its cluster (Orleans' connectivity check on join),
/// so it did not become Active: a wrong certificate or CA bundle, a firewall, a wrong advertised address.
/// </summary>
public sealed class ClusterConnectivityException : Exception
{
    public ClusterConnectivityException(string message)
        : base(message)
    {
    }
}
