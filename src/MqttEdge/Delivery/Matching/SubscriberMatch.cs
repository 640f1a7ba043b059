using Bifro.MqttEdge.Codec;

namespace Bifro.MqttEdge.Delivery.Matching;

/// <summary>
/// One subscriber that a topic matched through its non-shared subscriptions, all of its matching subscriptions
/// merged: the highest QoS [MQTT-3.3.4-2], Retain As Published if any has it, and every subscription identifier
/// (read them with <see cref="MatchCollector{TSubscriber}.GetSubscriptionIdentifiers"/>) [MQTT-3.3.4-3].
/// </summary>
/// <remarks>Mutable only to the collector, which hands entries out as a read-only span.</remarks>
internal struct SubscriberMatch<TSubscriber>
    where TSubscriber : class
{
    private readonly TSubscriber _subscriber;
    private QualityOfService _maximumQoS;
    private bool _retainAsPublished;

    internal SubscriberMatch(TSubscriber subscriber, QualityOfService maximumQoS, bool retainAsPublished)
    {
        _subscriber = subscriber;
        _maximumQoS = maximumQoS;
        _retainAsPublished = retainAsPublished;
        IdentifierStart = 0;
        IdentifierCount = 0;
    }

    /// <summary>Who receives the message.</summary>
    public readonly TSubscriber Subscriber => _subscriber;

    /// <summary>The highest maximum QoS among the subscriber's matching subscriptions.</summary>
    public readonly QualityOfService MaximumQoS => _maximumQoS;

    /// <summary>Whether any of the subscriber's matching subscriptions has Retain As Published.</summary>
    public readonly bool RetainAsPublished => _retainAsPublished;

    /// <summary>How many subscription identifiers the message carries to this subscriber.</summary>
    public readonly int SubscriptionIdentifierCount => IdentifierCount;

    /// <summary>
    /// Where the identifiers are in the collector's storage: while collecting, the head of a linked list;
    /// after <see cref="MatchCollector{TSubscriber}.Complete"/>, the start of a contiguous run.
    /// </summary>
    internal int IdentifierStart { readonly get; set; }

    internal int IdentifierCount { readonly get; set; }

    internal void Merge(QualityOfService maximumQoS, bool retainAsPublished)
    {
        if (maximumQoS > _maximumQoS)
        {
            _maximumQoS = maximumQoS;
        }

        _retainAsPublished |= retainAsPublished;
    }
}
