using Bifro.Runtime.Membership;
using Bifro.Runtime.Messaging;

namespace Bifro.Runtime.Management;

/// <summary>
/// Cluster-wide questions for administration (Orleans' IManagementGrain, without the grain): the membership
/// view, and activations of a grain type on every active silo. Works on silos and on cluster clients alike,
/// since both can reach every active silo's <see cref="ISiloControl"/>.
/// </summary>
internal sealed class ManagementClient(IGrainFactory grainFactory, IMembershipViewProvider membership, ILocalSiloDetails local)
{
    /// <summary>This node's identity ("ip:port@generation", or "cl:{name}" for a cluster client).</summary>
    public string LocalNode => local.NodeIdentity;

    /// <summary>Every silo in this node's membership view, in address order.</summary>
    public List<ClusterMember> GetMembers()
    {
        var view = membership.Current;
        var members = new List<ClusterMember>(view.Silos.Count);
        foreach (var (silo, info) in view.Silos)
        {
            members.Add(new ClusterMember(silo.ToParsableString(), info.Name, info.Status, info.GatewayPort, silo.Equals(local.SiloAddress)));
        }

        members.Sort(static (a, b) => string.CompareOrdinal(a.Address, b.Address));
        return members;
    }

    /// <summary>Whether this node's own silo is Active in its view (a cluster client: whether it sees an active silo).</summary>
    public bool IsActive
    {
        get
        {
            var view = membership.Current;
            return local.NodeIdentity.StartsWith(LocalSiloDetails.ClientPrefix, StringComparison.Ordinal)
                ? view.Active.Length > 0
                : view.StatusOf(local.SiloAddress) == SiloStatus.Active;
        }
    }

    /// <summary>
    /// Keys of <paramref name="grainType"/> activations whose key starts with <paramref name="keyPrefix"/>, asked
    /// of every active silo at once; at most <paramref name="limit"/>, in key order.
    /// </summary>
    public async Task<ActiveGrainKeys> GetActiveGrainKeysAsync(GrainType grainType, string keyPrefix, int limit, TimeSpan timeout)
    {
        var silos = membership.Current.Active;
        var calls = new Task<string[]>[silos.Length];
        for (var i = 0; i < silos.Length; i++)
        {
            var control = grainFactory.GetGrain<ISiloControl>(ObserverRegistry.WellKnownId(silos[i].ToParsableString(), SiloControl.Name));
            calls[i] = control.GetActiveGrainKeysAsync(grainType.Value, keyPrefix, limit).WaitAsync(timeout);
        }

        var keys = new List<string>();
        var unreachable = new List<string>();
        for (var i = 0; i < calls.Length; i++)
        {
            try
            {
                keys.AddRange(await calls[i].ConfigureAwait(false));
            }
            catch (Exception exception) when (exception is TimeoutException or SiloUnavailableException or GrainCallTimeoutException or GrainRuntimeException)
            {
                // One silo down must not hide the others' answer; the caller reports which one is missing.
                unreachable.Add(silos[i].ToParsableString());
            }
        }

        keys.Sort(StringComparer.Ordinal);
        if (keys.Count > limit)
        {
            keys.RemoveRange(limit, keys.Count - limit);
        }

        return new ActiveGrainKeys(keys, unreachable);
    }
}
