namespace Bifro.Runtime.Membership;

/// <summary>The current membership view, and a signal when it changes.</summary>
internal interface IMembershipViewProvider
{
    MembershipView Current { get; }

    /// <summary>Raised with each new view (on a thread-pool thread; handlers must not block).</summary>
    event Action<MembershipView>? ViewChanged;

    /// <summary>
    /// Raised with the node identity of a silo declared dead, or of a cluster client (edge-only node)
    /// whose gateway connections stayed closed past the drop timeout: what it held for its connections
    /// must be let go. Handlers must not block.
    /// </summary>
    event Action<string>? NodeLost;
}

/// <summary>A cluster of one: this silo, always active (development mode, tests).</summary>
internal sealed class LocalMembershipView(Messaging.ILocalSiloDetails silo) : IMembershipViewProvider
{
    public MembershipView Current { get; } = MembershipView.Single(silo.SiloAddress, 0);

    public event Action<MembershipView>? ViewChanged
    {
        add { }
        remove { }
    }

    public event Action<string>? NodeLost
    {
        add { }
        remove { }
    }
}
