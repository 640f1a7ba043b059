using Bifro.Runtime;

namespace Bifro.Grains;

/// <summary>What a connection tells its session on CONNECT.</summary>
[GenerateSerializer]
public sealed class SessionAttachRequest
{
    /// <summary>The edge holding the connection, so the session can kick it when another connection takes over.</summary>
    [Id(0)]
    public IConnectionObserver Connection { get; set; } = null!;

    /// <summary>The node whose edge holds the connection (its silo address).</summary>
    [Id(1)]
    public string Node { get; set; } = string.Empty;

    [Id(2)]
    public bool CleanStart { get; set; }

    /// <summary>Seconds the session lives after the connection closes; 0 ends it with the connection.</summary>
    [Id(3)]
    public uint SessionExpiryInterval { get; set; }

    [Id(4)]
    public WillMessage? Will { get; set; }

    [Id(5)]
    public byte ProtocolVersion { get; set; }

    [Id(6)]
    public string? UserId { get; set; }

    /// <summary>The client's address, for logs and the reason string a kicked client gets.</summary>
    [Id(7)]
    public string? RemoteAddress { get; set; }
}

/// <summary>What the session answers on CONNECT.</summary>
[GenerateSerializer]
public sealed class SessionAttachResult
{
    [Id(0)]
    public bool SessionPresent { get; set; }

    /// <summary>Identifies this connection's ownership; later calls carry it and stale ones are refused.</summary>
    [Id(1)]
    public long Epoch { get; set; }

    /// <summary>The session's subscriptions (a resumed session keeps them).</summary>
    [Id(2)]
    public Subscription[] Subscriptions { get; set; } = [];

    /// <summary>Inbound QoS 2 packet ids received but not yet released (PUBREL), carried across connections.</summary>
    [Id(3)]
    public ushort[] PendingInboundQoS2 { get; set; } = [];

    /// <summary>Whether the session is persistent, so its messages go through its inbox.</summary>
    [Id(4)]
    public bool Persistent { get; set; }
}

/// <summary>A will message and its delay.</summary>
[GenerateSerializer]
public sealed class WillMessage
{
    [Id(0)]
    public MqttMessage Message { get; set; } = new();

    [Id(1)]
    public uint DelayIntervalSeconds { get; set; }

    /// <summary>The will's Message Expiry Interval, which starts when the will is published.</summary>
    [Id(2)]
    public uint? MessageExpiryIntervalSeconds { get; set; }
}
