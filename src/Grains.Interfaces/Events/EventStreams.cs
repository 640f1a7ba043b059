namespace Bifro.Grains;

/// <summary>Where events flow: stream namespace "events", one stream per tenant and one for the cluster.</summary>
public static class EventStreams
{
    /// <summary>The memory stream provider that carries events.</summary>
    public const string ProviderName = "events";

    /// <summary>The stream namespace: the stream key is the tenant, or <see cref="ClusterKey"/>.</summary>
    public const string Namespace = "events";

    /// <summary>
    /// The stream of events that belong to no tenant: cluster events, and connections refused before
    /// authentication named a tenant. No tenant id can take this key (tenant ids contain no '/'). It is also
    /// the key of the cluster-wide deny list.
    /// </summary>
    public const string ClusterKey = "/cluster";
}
