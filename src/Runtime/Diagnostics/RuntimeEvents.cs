namespace Bifro.Runtime.Diagnostics;

/// <summary>
/// What the runtime tells the layers above it about the cluster (they turn it into events): silos joining
/// and declared dead, and connections refused at the transport. Raised on the thread that saw it;
/// handlers must not block.
/// </summary>
internal sealed class RuntimeEvents
{
    /// <summary>This silo became active.</summary>
    public event Action<SiloAddress>? SiloJoined;

    /// <summary>This silo's vote declared <c>silo</c> dead.</summary>
    public event Action<SiloAddress>? SiloDeclaredDead;

    /// <summary>A connection was refused: another ClusterId or ServiceId, or an untrusted certificate.</summary>
    public event Action<RefusedConnection>? ConnectionRefused;

    public void OnSiloJoined(SiloAddress silo) => SiloJoined?.Invoke(silo);

    public void OnSiloDeclaredDead(SiloAddress silo) => SiloDeclaredDead?.Invoke(silo);

    public void OnConnectionRefused(RefusedConnection refused) => ConnectionRefused?.Invoke(refused);
}

/// <summary>Why the transport refused a connection.</summary>
internal enum RefusalReason
{
    /// <summary>The peer's handshake named another ClusterId or ServiceId (or another protocol, or a client on the silo port).</summary>
    ForeignCluster,

    /// <summary>The peer's certificate did not validate against the configured CA (or it sent none where one is required).</summary>
    UntrustedCertificate,
}

/// <summary>A refused connection: the peer's endpoint and what it said it was.</summary>
internal sealed record RefusedConnection(RefusalReason Reason, string Peer, string? RemoteClusterId, string? RemoteServiceId, string? RemoteIdentity, string Detail);
