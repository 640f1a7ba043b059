using Bifro.Runtime;

namespace Bifro.Grains;

/// <summary>
/// What a live connection tells its session when the cluster changed under it: everything the session
/// holds in memory for a connection, so that a new activation (whose transient state was lost with its
/// silo) can take it back.
/// </summary>
[GenerateSerializer]
public sealed class SessionReattachRequest
{
    [Id(0)]
    public IConnectionObserver Connection { get; set; } = null!;

    [Id(1)]
    public string Node { get; set; } = string.Empty;

    /// <summary>The epoch the connection was given at CONNECT.</summary>
    [Id(2)]
    public long Epoch { get; set; }

    [Id(3)]
    public bool Persistent { get; set; }

    [Id(4)]
    public uint SessionExpiryInterval { get; set; }

    [Id(5)]
    public WillMessage? Will { get; set; }

    [Id(6)]
    public byte ProtocolVersion { get; set; }

    /// <summary>The subscriptions as the client was last told (SUBACK / UNSUBACK).</summary>
    [Id(7)]
    public Subscription[] Subscriptions { get; set; } = [];
}
