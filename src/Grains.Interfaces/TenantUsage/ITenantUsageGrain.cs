using Bifro.Runtime;

namespace Bifro.Grains;

/// <summary>
/// What one tenant uses across the cluster, keyed by tenant: its connections, for the tenant setting
/// MaxConnections. Each connection holds a slot keyed by its session, so a client that reconnects (and
/// takes its session over) keeps its slot rather than needing a second one. Slots are leased per node:
/// each edge renews its nodes' leases while it lives, and a node that stops renewing (crashed, cut off)
/// loses its slots when the lease runs out. Nothing is stored: after the grain moves or reactivates,
/// the edges' next renewals rebuild it, and until then it may count too few.
/// </summary>
public interface ITenantUsageGrain : IGrainWithStringKey
{
    /// <summary>
    /// Takes a slot for the session <paramref name="sessionKey"/> on connection <paramref name="connectionId"/>
    /// of <paramref name="node"/>, unless the tenant already has <paramref name="maxConnections"/> (0: no limit).
    /// A session that holds a slot already moves it to the new connection, limit or not.
    /// </summary>
    Task<bool> TryAcquireConnectionAsync(string node, string sessionKey, string connectionId, int maxConnections, int leaseSeconds);

    /// <summary>Gives the slot back, if this connection still holds it (a newer connection of the session may).</summary>
    [OneWay]
    Task ReleaseConnectionAsync(string sessionKey, string connectionId);

    /// <summary>
    /// Extends <paramref name="node"/>'s lease. False when the grain counts another number of slots for the
    /// node than <paramref name="count"/>: the edge then sends its list (<see cref="SyncConnectionsAsync"/>).
    /// </summary>
    Task<bool> RenewConnectionsAsync(string node, int count, int leaseSeconds);

    /// <summary>The slots <paramref name="node"/> holds, all of them: they replace what the grain had for it.</summary>
    Task SyncConnectionsAsync(string node, ConnectionLease[] leases, int leaseSeconds);

    /// <summary>Slots held now, on every node.</summary>
    [ReadOnly]
    Task<int> CountConnectionsAsync();
}
