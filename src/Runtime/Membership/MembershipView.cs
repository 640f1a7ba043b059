using System.Collections.Immutable;

namespace Bifro.Runtime.Membership;

/// <summary>
/// An immutable snapshot of the cluster: every known silo with its status and gateway port, and the
/// hash ring of the active ones that decides which silo owns a grain. Listeners receive a new view
/// whenever membership changes.
/// </summary>
internal sealed class MembershipView
{
    // Each silo takes several points on the ring so that three silos split grains roughly evenly.
    private const int PointsPerSilo = 30;

    private readonly (uint Hash, SiloAddress Silo)[] _ring;

    public MembershipView(long version, ImmutableDictionary<SiloAddress, SiloInfo> silos)
    {
        Version = version;
        Silos = silos;
        Active = silos.Where(s => s.Value.Status == SiloStatus.Active).Select(s => s.Key).Order().ToImmutableArray();
        var ring = new List<(uint, SiloAddress)>(Active.Length * PointsPerSilo);
        foreach (var silo in Active)
        {
            for (var i = 0; i < PointsPerSilo; i++)
            {
                ring.Add((Identity.StableHash.ComputeHash($"{silo.ToParsableString()}#{i}"), silo));
            }
        }

        ring.Sort(static (a, b) => a.Item1 != b.Item1 ? a.Item1.CompareTo(b.Item1) : a.Item2.CompareTo(b.Item2));
        _ring = ring.ToArray();
    }

    public long Version { get; }

    public ImmutableDictionary<SiloAddress, SiloInfo> Silos { get; }

    /// <summary>Active silos, in address order.</summary>
    public ImmutableArray<SiloAddress> Active { get; }

    public static MembershipView Single(SiloAddress silo, int gatewayPort) =>
        new(1, ImmutableDictionary<SiloAddress, SiloInfo>.Empty.Add(silo, new SiloInfo(SiloStatus.Active, gatewayPort, "local")));

    /// <summary>The view a read of the membership table gives (silo and cluster-client views alike).</summary>
    public static MembershipView From(MembershipTableData data)
    {
        var silos = ImmutableDictionary.CreateBuilder<SiloAddress, SiloInfo>();
        foreach (var (entry, _) in data.Members)
        {
            silos[entry.SiloAddress] = new SiloInfo(entry.Status, entry.ProxyPort, entry.SiloName);
        }

        return new MembershipView(data.Version.Version, silos.ToImmutable());
    }

    public SiloStatus StatusOf(SiloAddress silo) => Silos.TryGetValue(silo, out var info) ? info.Status : SiloStatus.None;

    public bool IsDead(SiloAddress silo) => StatusOf(silo) == SiloStatus.Dead;

    /// <summary>
    /// The silo that owns <paramref name="grainId"/>: the first ring point at or after the grain's uniform
    /// hash, wrapping around. Every silo with the same view computes the same owner, so each grain has one
    /// activation in the cluster.
    /// </summary>
    public SiloAddress? OwnerOf(GrainId grainId) => OwnerOf(grainId.GetUniformHashCode());

    public SiloAddress? OwnerOf(uint hash)
    {
        if (_ring.Length == 0)
        {
            return null;
        }

        int low = 0, high = _ring.Length - 1;
        if (hash > _ring[high].Hash)
        {
            return _ring[0].Silo;
        }

        while (low < high)
        {
            var middle = (low + high) / 2;
            if (_ring[middle].Hash >= hash)
            {
                high = middle;
            }
            else
            {
                low = middle + 1;
            }
        }

        return _ring[low].Silo;
    }

    /// <summary>Whether two views hold the same silos with the same statuses.</summary>
    public static bool SameMembership(MembershipView a, MembershipView b)
    {
        if (a.Silos.Count != b.Silos.Count)
        {
            return false;
        }

        foreach (var (silo, info) in b.Silos)
        {
            if (!a.Silos.TryGetValue(silo, out var other) || other.Status != info.Status)
            {
                return false;
            }
        }

        return true;
    }

    public override string ToString() =>
        $"v{Version}: " + string.Join(", ", Silos.OrderBy(s => s.Key).Select(s => $"{s.Key} {s.Value.Status}"));
}

/// <summary>What the view knows of one silo.</summary>
internal readonly record struct SiloInfo(SiloStatus Status, int GatewayPort, string Name);
