using System.Collections.Concurrent;

namespace Bifro.MqttEdge.Limits;

/// <summary>
/// The tenant setting ConnectPerSecond, per node: new connections of each tenant that limits them, with a
/// burst of one second's worth. Only tenants with a limit get an entry.
/// </summary>
internal sealed class TenantConnectRate(TimeProvider time)
{
    private readonly ConcurrentDictionary<string, Bucket> _tenants = new(StringComparer.Ordinal);

    /// <summary>Counts a connection of <paramref name="tenant"/>; false when it is over <paramref name="perSecond"/>.</summary>
    public bool TryAcquire(string tenant, int perSecond)
    {
        var bucket = _tenants.GetOrAdd(tenant, static _ => new Bucket());
        lock (bucket)
        {
            return bucket.Limit.TryAcquire(time.GetTimestamp(), perSecond, time.TimestampFrequency);
        }
    }

    private sealed class Bucket
    {
        public RateLimit Limit;
    }
}
