using Bifro.MqttEdge.Codec;

namespace Bifro.MqttEdge.Delivery.Matching;

/// <summary>
/// The member of a matching share group ($share/{group}/{filter}) picked to receive the message. Reported
/// apart from <see cref="SubscriberMatch{TSubscriber}"/> entries and never merged with them: a client with a
/// normal and a shared subscription that both match gets the message twice.
/// </summary>
internal readonly struct SharedMatch<TSubscriber>
    where TSubscriber : class
{
    private readonly ulong _options;

    internal SharedMatch(TSubscriber subscriber, string shareGroup, ulong options)
    {
        Subscriber = subscriber;
        ShareGroup = shareGroup;
        _options = options;
    }

    /// <summary>The member that receives the message.</summary>
    public TSubscriber Subscriber { get; }

    /// <summary>The share name.</summary>
    public string ShareGroup { get; }

    /// <summary>The member's maximum QoS for this subscription.</summary>
    public QualityOfService MaximumQoS => RouteOptions.FromBits(_options).MaximumQoS;

    /// <summary>The member's Retain As Published option.</summary>
    public bool RetainAsPublished => RouteOptions.FromBits(_options).RetainAsPublished;

    /// <summary>The member's subscription identifier, 0 when there is none.</summary>
    public uint SubscriptionIdentifier => RouteOptions.FromBits(_options).SubscriptionIdentifier;
}
