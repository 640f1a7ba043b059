using Bifro.Runtime;

namespace Bifro.Grains.TenantUsage;

/// <summary>
/// Counts a tenant's connections across the cluster (MaxConnections), in memory only: see
/// <see cref="ITenantUsageGrain"/>. Leases are per node, so each call checks the handful of node leases,
/// never every connection.
/// </summary>
internal sealed class TenantUsageGrain : Grain, ITenantUsageGrain
{
    private readonly Dictionary<string, Holder> _connections = new(StringComparer.Ordinal);
    private readonly Dictionary<string, NodeLease> _nodes = new(StringComparer.Ordinal);
    private readonly TimeProvider _time;

    public TenantUsageGrain(TimeProvider time)
    {
        _time = time;
    }

    public Task<bool> TryAcquireConnectionAsync(string node, string sessionKey, string connectionId, int maxConnections, int leaseSeconds)
    {
        ExpireLeases();
        var lease = Lease(node, leaseSeconds);
        if (_connections.TryGetValue(sessionKey, out var holder))
        {
            // The session reconnects: its new connection takes the slot over (the old one is being kicked).
            Remove(sessionKey, holder);
        }
        else if (maxConnections > 0 && _connections.Count >= maxConnections)
        {
            return Task.FromResult(false);
        }

        _connections[sessionKey] = new Holder(node, connectionId);
        lease.Sessions.Add(sessionKey);
        return Task.FromResult(true);
    }

    public Task ReleaseConnectionAsync(string sessionKey, string connectionId)
    {
        if (_connections.TryGetValue(sessionKey, out var holder) && holder.ConnectionId == connectionId)
        {
            Remove(sessionKey, holder);
        }

        return Task.CompletedTask;
    }

    public Task<bool> RenewConnectionsAsync(string node, int count, int leaseSeconds)
    {
        ExpireLeases();
        if (!_nodes.ContainsKey(node) && count == 0)
        {
            return Task.FromResult(true);
        }

        return Task.FromResult(Lease(node, leaseSeconds).Sessions.Count == count);
    }

    public Task SyncConnectionsAsync(string node, ConnectionLease[] leases, int leaseSeconds)
    {
        ExpireLeases();
        var lease = Lease(node, leaseSeconds);
        foreach (var sessionKey in lease.Sessions.ToArray())
        {
            Remove(sessionKey, _connections[sessionKey]);
        }

        lease = Lease(node, leaseSeconds);
        foreach (var connection in leases)
        {
            // A session held on another node stays there: that node's own sync or lease decides about it.
            if (_connections.TryAdd(connection.SessionKey, new Holder(node, connection.ConnectionId)))
            {
                lease.Sessions.Add(connection.SessionKey);
            }
        }

        return Task.CompletedTask;
    }

    public Task<int> CountConnectionsAsync()
    {
        ExpireLeases();
        return Task.FromResult(_connections.Count);
    }

    private NodeLease Lease(string node, int leaseSeconds)
    {
        var expiresAt = _time.GetTimestamp() + (leaseSeconds * _time.TimestampFrequency);
        if (!_nodes.TryGetValue(node, out var lease))
        {
            lease = new NodeLease();
            _nodes[node] = lease;
        }

        lease.ExpiresAt = Math.Max(lease.ExpiresAt, expiresAt);
        return lease;
    }

    private void Remove(string sessionKey, Holder holder)
    {
        _connections.Remove(sessionKey);
        if (_nodes.TryGetValue(holder.Node, out var lease))
        {
            lease.Sessions.Remove(sessionKey);
        }
    }

    /// <summary>A node that stopped renewing loses every slot it held.</summary>
    private void ExpireLeases()
    {
        var now = _time.GetTimestamp();
        List<string>? expired = null;
        foreach (var (node, lease) in _nodes)
        {
            if (lease.ExpiresAt <= now)
            {
                (expired ??= []).Add(node);
            }
        }

        foreach (var node in expired ?? [])
        {
            foreach (var sessionKey in _nodes[node].Sessions)
            {
                _connections.Remove(sessionKey);
            }

            _nodes.Remove(node);
        }
    }

    private sealed record Holder(string Node, string ConnectionId);

    private sealed class NodeLease
    {
        public long ExpiresAt { get; set; }

        public HashSet<string> Sessions { get; } = new(StringComparer.Ordinal);
    }
}
