using Bifro.Runtime;

namespace Bifro.Grains;

/// <summary>How a connection ended, which decides the will.</summary>
public enum DetachReason : byte
{
    /// <summary>DISCONNECT 0x00: the will is discarded.</summary>
    Normal = 0,

    /// <summary>5.0 DISCONNECT 0x04: close normally but publish the will.</summary>
    NormalWithWill = 1,

    /// <summary>Lost without DISCONNECT (network error, keep-alive timeout, protocol error): the will is published.</summary>
    Abnormal = 2,

    /// <summary>The server is shutting down: the session is kept, the will is not published.</summary>
    ServerShutdown = 3,
}

/// <summary>What a connection tells its session when it closes.</summary>
[GenerateSerializer]
public sealed class SessionDetachRequest
{
    [Id(0)]
    public long Epoch { get; set; }

    [Id(1)]
    public DetachReason Reason { get; set; }

    /// <summary>A 5.0 DISCONNECT may change the session expiry interval.</summary>
    [Id(2)]
    public uint? SessionExpiryInterval { get; set; }

    /// <summary>Inbound QoS 2 packet ids still awaiting PUBREL.</summary>
    [Id(3)]
    public ushort[] PendingInboundQoS2 { get; set; } = [];
}

/// <summary>Per-item outcome of a subscribe or unsubscribe.</summary>
[GenerateSerializer]
public sealed class SubscribeResult
{
    /// <summary>False when the call came from a connection that no longer owns the session.</summary>
    [Id(0)]
    public bool Accepted { get; set; }

    [Id(1)]
    public bool[] Existed { get; set; } = [];

    /// <summary>The session's routes after the change, which the caller applies to its own replica at once.</summary>
    [Id(2)]
    public SessionRoute? Route { get; set; }
}

/// <summary>A session as administration and tests see it.</summary>
[GenerateSerializer]
public sealed class SessionInfo
{
    [Id(0)]
    public bool Exists { get; set; }

    [Id(1)]
    public bool Connected { get; set; }

    [Id(2)]
    public bool Persistent { get; set; }

    [Id(3)]
    public Subscription[] Subscriptions { get; set; } = [];

    [Id(4)]
    public uint SessionExpiryInterval { get; set; }

    [Id(5)]
    public string? Node { get; set; }

    [Id(6)]
    public long Epoch { get; set; }

    [Id(7)]
    public bool WillPending { get; set; }

    /// <summary>The MQTT version of the connection that last held it (3, 4 or 5).</summary>
    [Id(8)]
    public byte ProtocolVersion { get; set; }

    /// <summary>The user the auth provider named for that connection.</summary>
    [Id(9)]
    public string? UserId { get; set; }
}
