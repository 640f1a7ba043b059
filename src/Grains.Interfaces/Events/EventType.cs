namespace Bifro.Grains;

/// <summary>
/// Every kind of event, after BifroMQ's EventType, grouped in hundreds: the group says which event class
/// carries it (<see cref="EventTypes.ClassOf"/>). Names are what configuration uses (risk rules, filters).
/// </summary>
public enum EventType
{
    // Connection refused before a session exists: ConnectionRefusedEvent.

    /// <summary>The auth provider failed, timed out or answered nonsense (CONNACK 0x80 / 3).</summary>
    AuthError = 100,

    /// <summary>Bad user name or password (0x86 / 4).</summary>
    Unauthenticated = 101,

    /// <summary>The provider refused the client, or denied it the Connect permission (0x87 / 5).</summary>
    NotAuthorized = 102,

    /// <summary>The deny list, or the auth provider, says the client is banned (0x8A / 5).</summary>
    Banned = 103,

    /// <summary>A malformed CONNECT, or a first packet that is not CONNECT.</summary>
    ProtocolError = 104,

    /// <summary>No CONNECT (or no end of the AUTH exchange) within the connect timeout.</summary>
    ConnectTimeout = 105,

    /// <summary>A client identifier the server does not accept (0x85 / 2).</summary>
    IdentifierRejected = 106,

    /// <summary>A client identifier that is not valid UTF-8.</summary>
    MalformedClientId = 107,

    /// <summary>A user name that is not valid UTF-8.</summary>
    MalformedUsername = 108,

    /// <summary>A will topic that is not valid (UTF-8, wildcards).</summary>
    MalformedWillTopic = 109,

    /// <summary>A protocol level the server does not speak (0x84 / 1).</summary>
    UnacceptedProtocolVersion = 110,

    /// <summary>The server could not take the session (shutting down, the session grain unreachable).</summary>
    ServerUnavailable = 111,

    // Connected: ClientConnectedEvent.

    /// <summary>CONNACK 0x00 sent: the client is connected.</summary>
    ClientConnected = 200,

    // Disconnected, with the cause: ClientDisconnectedEvent.

    /// <summary>The client sent DISCONNECT.</summary>
    ByClient = 300,

    /// <summary>The network connection closed without DISCONNECT.</summary>
    ConnectionLost = 301,

    /// <summary>The server closed the connection (shutdown, a client that stopped reading, an internal failure).</summary>
    ByServer = 302,

    /// <summary>Nothing received for one and a half keep-alive periods (0x8D).</summary>
    Idle = 303,

    /// <summary>Closed by another connection taking the session (0x8E), an administrator or the deny list (0x98).</summary>
    Kicked = 304,

    /// <summary>A malformed packet (0x81) or one larger than the Maximum Packet Size (0x95).</summary>
    BadPacket = 305,

    /// <summary>A protocol error (0x82) or another violation of the specification.</summary>
    ProtocolViolation = 306,

    /// <summary>A PUBLISH topic name with wildcards (0x90).</summary>
    InvalidTopic = 307,

    /// <summary>A PUBLISH topic name that is not valid UTF-8.</summary>
    MalformedTopic = 308,

    /// <summary>An invalid topic filter where 3.x cannot refuse one filter alone.</summary>
    InvalidTopicFilter = 309,

    /// <summary>A topic filter that is not valid UTF-8.</summary>
    MalformedTopicFilter = 310,

    /// <summary>The client published faster than its tenant's MsgPubPerSec allows (0x96).</summary>
    ExceedPubRate = 311,

    /// <summary>More unacknowledged QoS 1 and 2 PUBLISH packets than the Receive Maximum (0x93).</summary>
    ExceedReceivingLimit = 312,

    /// <summary>A resource or tenant limit closed the connection (0x97; the tenant's topic, payload and retain limits too).</summary>
    ResourceThrottled = 313,

    /// <summary>A 5.0 re-authentication failed.</summary>
    ReAuthFailed = 314,

    /// <summary>A PUBLISH the client may not make closed the connection (QoS 0, or any QoS on 3.x).</summary>
    NoPubPermission = 315,

    // Access control: AccessDeniedEvent.

    /// <summary>PUBLISH denied.</summary>
    PubActionDisallowed = 400,

    /// <summary>SUBSCRIBE to a filter denied.</summary>
    SubActionDisallowed = 401,

    /// <summary>UNSUBSCRIBE from a filter denied.</summary>
    UnsubActionDisallowed = 402,

    /// <summary>The authorization check failed (provider error or timeout): denied.</summary>
    AccessControlError = 403,

    // Inbound publish handling: PublishEvent.

    /// <summary>A PUBLISH from a client, sampled (Bifro:Events:PublishSampling; off by default).</summary>
    PublishReceived = 500,

    /// <summary>A PUBLISH dropped without closing the connection (a denied QoS 0 with DeniedQoS0Publish "drop").</summary>
    PublishDiscarded = 501,

    /// <summary>A QoS 1 or 2 PUBLISH could not be handed off (the publisher got 0x80).</summary>
    PublishError = 502,

    /// <summary>A will message was published.</summary>
    WillPublished = 503,

    /// <summary>A will message could not be published.</summary>
    WillPublishError = 504,

    // Outbound push: MessageDroppedEvent (counted per connection and reason, at most one event per heartbeat).

    /// <summary>QoS 0 messages for the client were dropped.</summary>
    QoS0Dropped = 600,

    /// <summary>QoS 1 messages for the client were dropped.</summary>
    QoS1Dropped = 601,

    /// <summary>QoS 2 messages for the client were dropped.</summary>
    QoS2Dropped = 602,

    // Retained messages: RetainEvent.

    /// <summary>A retained message was stored.</summary>
    MessageRetained = 700,

    /// <summary>A retained message was cleared (empty payload).</summary>
    RetainedMessageCleared = 701,

    /// <summary>A retained message could not be stored.</summary>
    RetainError = 702,

    // Inbox: InboxOverflowEvent.

    /// <summary>An offline session's inbox was full and dropped messages.</summary>
    InboxOverflowed = 800,

    // Tenant resources: TenantResourceEvent.

    /// <summary>A tenant limit refused what a client asked (a CONNECT, a subscription, a retained topic, ...); Resource names the setting.</summary>
    OutOfTenantResource = 900,

    // Session lifecycle: SessionEvent.

    /// <summary>A new session began (none was resumed).</summary>
    SessionStarted = 1000,

    /// <summary>A session ended (expiry, clean start, an expiry of 0, an administrator).</summary>
    SessionStopped = 1001,

    // Cluster: ClusterEvent (on the cluster stream).

    /// <summary>A silo became active.</summary>
    SiloJoined = 1100,

    /// <summary>A silo was declared dead (by this silo's vote).</summary>
    SiloDeclaredDead = 1101,

    /// <summary>A connection from a node of another ClusterId or ServiceId was refused.</summary>
    ForeignClusterRefused = 1102,

    /// <summary>A connection whose certificate is not trusted was refused.</summary>
    UntrustedCertificateRefused = 1103,

    // Risk and deny list: BanEvent.

    /// <summary>A ban was added (by a risk rule or an administrator).</summary>
    ClientBanned = 1200,

    /// <summary>A ban was removed before it expired.</summary>
    BanRemoved = 1201,
}
