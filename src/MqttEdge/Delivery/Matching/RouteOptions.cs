using System.Diagnostics.CodeAnalysis;
using Bifro.MqttEdge.Codec;

namespace Bifro.MqttEdge.Delivery.Matching;

/// <summary>
/// The options of one subscription in a <see cref="TopicTree{TSubscriber}"/>: maximum QoS, No Local,
/// Retain As Published and the subscription identifier (0 when there is none).
/// </summary>
/// <remarks>
/// Packed into one 64-bit word so that replacing a subscription's options (a new SUBSCRIBE for the same filter,
/// [MQTT-3.8.4-3]) is a single atomic store: a publishing thread never sees the QoS of the old subscription
/// with the identifier of the new one. Bits 0-1 hold the QoS, bit 2 No Local, bit 3 Retain As Published and
/// bits 32-63 the subscription identifier.
/// </remarks>
internal readonly struct RouteOptions : IEquatable<RouteOptions>
{
    internal const ulong QualityOfServiceMask = 0b11;
    internal const ulong NoLocalBit = 1UL << 2;
    internal const ulong RetainAsPublishedBit = 1UL << 3;
    internal const int IdentifierShift = 32;

    /// <summary>Creates the options of a subscription.</summary>
    /// <param name="maximumQoS">The maximum QoS the subscriber accepts for messages of this subscription.</param>
    /// <param name="noLocal">Whether messages published by the subscriber itself are withheld (not allowed on shared subscriptions, [MQTT-3.8.3-4]).</param>
    /// <param name="retainAsPublished">Whether the RETAIN flag is kept as published when forwarding.</param>
    /// <param name="subscriptionIdentifier">The subscription identifier, or 0 for none.</param>
    public RouteOptions(
        QualityOfService maximumQoS,
        bool noLocal = false,
        bool retainAsPublished = false,
        uint subscriptionIdentifier = 0)
    {
        if ((uint)maximumQoS > (uint)QualityOfService.ExactlyOnce)
        {
            ThrowInvalidQualityOfService(maximumQoS);
        }

        Bits = (ulong)maximumQoS
            | (noLocal ? NoLocalBit : 0)
            | (retainAsPublished ? RetainAsPublishedBit : 0)
            | ((ulong)subscriptionIdentifier << IdentifierShift);
    }

    private RouteOptions(ulong bits)
    {
        Bits = bits;
    }

    /// <summary>The packed representation, stored and read atomically by the tree.</summary>
    internal ulong Bits { get; }

    /// <summary>The maximum QoS granted to this subscription.</summary>
    public QualityOfService MaximumQoS => (QualityOfService)(Bits & QualityOfServiceMask);

    /// <summary>Whether messages published by the subscriber itself are not delivered to it.</summary>
    public bool NoLocal => (Bits & NoLocalBit) != 0;

    /// <summary>Whether the RETAIN flag of forwarded messages is kept as published.</summary>
    public bool RetainAsPublished => (Bits & RetainAsPublishedBit) != 0;

    /// <summary>The subscription identifier, 0 when the subscription has none.</summary>
    public uint SubscriptionIdentifier => (uint)(Bits >> IdentifierShift);

    internal static RouteOptions FromBits(ulong bits) => new(bits);

    public static bool operator ==(RouteOptions left, RouteOptions right) => left.Bits == right.Bits;

    public static bool operator !=(RouteOptions left, RouteOptions right) => left.Bits != right.Bits;

    /// <inheritdoc />
    public bool Equals(RouteOptions other) => Bits == other.Bits;

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is RouteOptions other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => Bits.GetHashCode();

    /// <inheritdoc />
    public override string ToString() =>
        $"QoS {(int)MaximumQoS}, NoLocal {NoLocal}, RetainAsPublished {RetainAsPublished}, Id {SubscriptionIdentifier}";

    [DoesNotReturn]
    private static void ThrowInvalidQualityOfService(QualityOfService value) =>
        throw new ArgumentOutOfRangeException(nameof(value), value, "The maximum QoS must be 0, 1 or 2.");
}
