using Bifro.Runtime;

namespace Bifro.Grains.Session;

/// <summary>What a session keeps across connections; stored only for persistent sessions.</summary>
[GenerateSerializer]
internal sealed class SessionState
{
    /// <summary>Messages go through the inbox: the session outlives its connection, or resumed queued messages.</summary>
    [Id(0)]
    public bool Persistent { get; set; }

    [Id(1)]
    public uint SessionExpiryInterval { get; set; }

    [Id(2)]
    public List<Subscription> Subscriptions { get; set; } = new();

    /// <summary>A will waiting for its delay to pass after the connection was lost.</summary>
    [Id(3)]
    public WillMessage? PendingWill { get; set; }

    [Id(4)]
    public long DisconnectedAtUtcTicks { get; set; }

    [Id(5)]
    public ushort[] PendingInboundQoS2 { get; set; } = [];

    /// <summary>Counts connections that owned the session; each CONNECT takes the next.</summary>
    [Id(6)]
    public long Epoch { get; set; }

    /// <summary>Revision of the session's routes, increasing across activations.</summary>
    [Id(7)]
    public long Revision { get; set; }

    [Id(8)]
    public byte ProtocolVersion { get; set; }

    [Id(9)]
    public string? UserId { get; set; }
}
