using Bifro.Runtime;

namespace Bifro.Grains;

/// <summary>
/// The message queue of a persistent session, keyed like its session. Every message for a persistent
/// session goes through here, online or not: enqueue returns once the message is stored, so a publisher
/// is acknowledged only after a durable hand-off; the attached connection receives messages pushed in
/// order within its receive window and acknowledges them. Bounded: when full, the oldest is dropped and
/// counted.
/// </summary>
public interface IInboxGrain : IGrainWithStringKey
{
    /// <summary>Stores messages; completes when they are durable. Returns how many older messages were dropped to make room.</summary>
    Task<int> EnqueueAsync(InboxMessage[] messages);

    /// <summary>Starts pushing to <paramref name="consumer"/>: first the unacknowledged messages (DUP), then the rest.</summary>
    Task AttachAsync(IInboxConsumer consumer, long epoch, int receiveMaximum);

    /// <summary>
    /// A live connection takes its inbox back after the cluster changed (the inbox's activation may have
    /// moved). It received every message up to <paramref name="receivedUpTo"/> and still holds
    /// <paramref name="holding"/> unacknowledged; the others up to there were acknowledged, perhaps to an
    /// activation that is gone. Pushing resumes after <paramref name="receivedUpTo"/>. False when a newer
    /// connection has the inbox.
    /// </summary>
    Task<bool> ReattachAsync(IInboxConsumer consumer, long epoch, int receiveMaximum, long receivedUpTo, long[] holding);

    /// <summary>
    /// Stops pushing to the connection with <paramref name="epoch"/>, which took messages up to
    /// <paramref name="receivedUpTo"/>: those pushed after it never reached the client (the connection was
    /// closing), so the next connection gets them as first deliveries, without DUP [MQTT-3.3.1-1].
    /// <see cref="long.MaxValue"/> when that is not known.
    /// </summary>
    Task DetachAsync(long epoch, long receivedUpTo);

    /// <summary>PUBACK (QoS 1) or PUBCOMP (QoS 2) for these sequence numbers: they are done.</summary>
    [OneWay]
    Task AckAsync(long epoch, long[] sequences);

    /// <summary>PUBREC for these sequence numbers: resend PUBREL, not PUBLISH, after a reconnect.</summary>
    [OneWay]
    Task ReceivedAsync(long epoch, long[] sequences);

    /// <summary>The session ended: drop everything.</summary>
    Task ClearAsync();

    [ReadOnly]
    Task<InboxInfo> GetInfoAsync();
}

/// <summary>Implemented by the connection of a persistent session.</summary>
public interface IInboxConsumer : IGrainObserver
{
    [OneWay]
    Task OnMessagesAsync(long epoch, InboxMessage[] messages);

    /// <summary>The inbox's activation is going away (moved or stopping): reattach to the next one.</summary>
    [OneWay]
    Task OnInboxMovedAsync(long epoch);
}

/// <summary>A queued message with what its subscriber's delivery needs.</summary>
[GenerateSerializer]
public sealed class InboxMessage
{
    /// <summary>Assigned by the inbox; increasing; the outbound packet id derives from it.</summary>
    [Id(0)]
    public long Sequence { get; set; }

    [Id(1)]
    public MqttMessage Message { get; set; } = new();

    /// <summary>The QoS to deliver at: the lower of the message's and the subscription's.</summary>
    [Id(2)]
    public byte QoS { get; set; }

    /// <summary>The RETAIN flag to deliver with (retain as published).</summary>
    [Id(3)]
    public bool RetainFlag { get; set; }

    [Id(4)]
    public uint[]? SubscriptionIds { get; set; }

    /// <summary>Where delivery got to: 0 queued, 1 sent (resend with DUP), 2 PUBREC received (resend PUBREL).</summary>
    [Id(5)]
    public byte DeliveryState { get; set; }

    public const byte Queued = 0;
    public const byte Sent = 1;
    public const byte Received = 2;

    /// <summary>The packet id of this message: sequence numbers map onto 1..65535.</summary>
    public ushort PacketId => (ushort)((Sequence - 1) % 65535 + 1);
}

[GenerateSerializer]
public sealed class InboxInfo
{
    [Id(0)]
    public int Count { get; set; }

    [Id(1)]
    public long Dropped { get; set; }

    [Id(2)]
    public bool Attached { get; set; }

    [Id(3)]
    public int InFlight { get; set; }
}
