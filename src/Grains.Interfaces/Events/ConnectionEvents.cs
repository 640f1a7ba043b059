using Bifro.Runtime;

// One file per group of the event catalogue (ARCHITECTURE: "the risk detector and collectors in Events/"):
// the connection's life, from a refused CONNECT to its disconnect.
namespace Bifro.Grains;

/// <summary>
/// A connection refused before a session existed: <see cref="EventType.AuthError"/> to
/// <see cref="EventType.ServerUnavailable"/>. Fields the server had not learned yet are null (a malformed
/// CONNECT has no client id; no tenant before the auth provider answered).
/// </summary>
[GenerateSerializer]
public sealed class ConnectionRefusedEvent : BifroEvent
{
    /// <summary>The CONNACK code sent (the 5.0 reason code, also for 3.x clients), or 0 when the connection closed without CONNACK.</summary>
    [Id(10)]
    public byte ReasonCode { get; init; }

    /// <summary>Why, for people (not the provider's private reason when the client must not learn it).</summary>
    [Id(11)]
    public string? Reason { get; init; }

    /// <summary>The MQTT statement broken, for protocol errors ("MQTT-3.1.0-1").</summary>
    [Id(12)]
    public string? Statement { get; init; }

    /// <summary>3, 4 or 5; 0 when not known.</summary>
    [Id(13)]
    public byte ProtocolVersion { get; init; }

    /// <summary>The CONNECT user name, when there was one.</summary>
    [Id(14)]
    public string? Username { get; init; }

    /// <summary>For <see cref="EventType.Banned"/>: the ban that matched (null when the auth provider said Banned).</summary>
    [Id(15)]
    public string? BanId { get; init; }

    /// <summary>The listener the client connected to.</summary>
    [Id(16)]
    public string? ListenerName { get; init; }
}

/// <summary><see cref="EventType.ClientConnected"/>: CONNACK 0x00 went out.</summary>
[GenerateSerializer]
public sealed class ClientConnectedEvent : BifroEvent
{
    [Id(10)]
    public byte ProtocolVersion { get; init; }

    [Id(11)]
    public int KeepAliveSeconds { get; init; }

    [Id(12)]
    public bool CleanStart { get; init; }

    [Id(13)]
    public bool SessionPresent { get; init; }

    [Id(14)]
    public bool Persistent { get; init; }

    [Id(15)]
    public uint SessionExpiryInterval { get; init; }

    [Id(16)]
    public string? ListenerName { get; init; }

    /// <summary>The will's topic, when the client left a will.</summary>
    [Id(17)]
    public string? WillTopic { get; init; }

    [Id(18)]
    public byte WillQoS { get; init; }

    [Id(19)]
    public bool WillRetain { get; init; }
}

/// <summary>
/// A connected client's connection ended, with its cause: <see cref="EventType.ByClient"/> to
/// <see cref="EventType.NoPubPermission"/>. Exactly one per connection that was connected.
/// </summary>
[GenerateSerializer]
public sealed class ClientDisconnectedEvent : BifroEvent
{
    /// <summary>The reason code of the DISCONNECT (the client's, or the server's to a 5.0 client); null when none was sent.</summary>
    [Id(10)]
    public byte? ReasonCode { get; init; }

    [Id(11)]
    public string? Reason { get; init; }

    /// <summary>The MQTT statement broken, for protocol violations.</summary>
    [Id(12)]
    public string? Statement { get; init; }

    /// <summary>For <see cref="EventType.Kicked"/>: who closed it ("takeover", "administrator", "deny-list").</summary>
    [Id(13)]
    public string? Kicker { get; init; }

    [Id(14)]
    public byte ProtocolVersion { get; init; }

    /// <summary>How long the connection was connected.</summary>
    [Id(15)]
    public TimeSpan ConnectedFor { get; init; }
}
