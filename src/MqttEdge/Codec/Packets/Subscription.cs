namespace Bifro.MqttEdge.Codec.Packets;

/// <summary>One topic filter of a SUBSCRIBE with its options.</summary>
internal readonly record struct Subscription(TopicFilter TopicFilter, SubscriptionOptions Options)
{
    public Subscription(string filter, QualityOfService maximumQoS)
        : this(TopicFilter.Parse(filter), new SubscriptionOptions(maximumQoS))
    {
    }
}
