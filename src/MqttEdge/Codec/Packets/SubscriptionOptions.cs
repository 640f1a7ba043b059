namespace Bifro.MqttEdge.Codec.Packets;

/// <summary>
/// The Subscription Options byte of SUBSCRIBE (section 3.8.3.1). In 3.1 and 3.1.1 only the QoS bits exist.
/// <code>
/// bits 7-6 reserved | 5-4 Retain Handling | 3 Retain As Published | 2 No Local | 1-0 Maximum QoS
/// </code>
/// </summary>
internal readonly record struct SubscriptionOptions(
    QualityOfService MaximumQoS,
    bool NoLocal = false,
    bool RetainAsPublished = false,
    RetainHandling RetainHandling = RetainHandling.SendAtSubscribe)
{
    /// <summary>The options byte for <paramref name="version"/> (3.x: QoS only).</summary>
    public byte Encode(ProtocolVersion version)
    {
        if (version != ProtocolVersion.Mqtt500)
        {
            return (byte)MaximumQoS;
        }

        return (byte)((byte)MaximumQoS
            | (NoLocal ? 0b0100 : 0)
            | (RetainAsPublished ? 0b1000 : 0)
            | ((byte)RetainHandling << 4));
    }
}
