using System.Buffers;
using Bifro.MqttEdge.Codec.Framing;
using Bifro.MqttEdge.Codec.Properties;

namespace Bifro.MqttEdge.Codec.Packets;

/// <summary>
/// SUBSCRIBE (section 3.8). Fixed header flags 0b0010.
/// <code>
/// packet id (2) | 5.0: property block | then per filter: UTF-8 filter, options byte (at least one)
/// </code>
/// A syntactically invalid filter is kept and flagged (<see cref="TopicFilter.IsValid"/>), not an error
/// of the packet; ill-formed UTF-8, bad option bits and the other rules below are.
/// </summary>
internal sealed class SubscribePacket : IControlPacket
{
    public ushort PacketId { get; init; }

    /// <summary>Subscription Identifier (0x0B), 1..268,435,455, null if absent. 5.0 only.</summary>
    public int? SubscriptionIdentifier { get; init; }

    /// <summary>User Properties (0x26), null if none. 5.0 only.</summary>
    public List<UserProperty>? UserProperties { get; init; }

    /// <summary>The filters with their options, in packet order (the SUBACK answers in the same order).</summary>
    public List<Subscription> Subscriptions { get; init; } = [];

    /// <summary>
    /// Decodes a SUBSCRIBE body. MalformedPacket: flags, UTF-8, reserved option bits, 3.x QoS 3.
    /// ProtocolError: packet id 0, no filter, 5.0 Maximum QoS 3 or Retain Handling 3, No Local on a
    /// shared subscription, property rules.
    /// </summary>
    public static bool TryRead(byte flags, ReadOnlySpan<byte> body, ProtocolVersion version, out SubscribePacket? packet, out DecodeError error)
    {
        packet = null;

        // [MQTT-3.8.1-1] Bits 3,2,1 and 0 of the fixed header are 0,0,1,0 (a Malformed Packet otherwise).
        if (!FixedHeaderFlags.TryValidate(PacketType.Subscribe, flags, version, out error))
        {
            return false;
        }

        var reader = new PacketReader(body);
        if (!reader.TryReadUInt16(out var packetId))
        {
            error = reader.Error;
            return false;
        }

        // [MQTT-2.2.1-3] SUBSCRIBE carries a non-zero Packet Identifier.
        if (packetId == 0)
        {
            error = DecodeError.ProtocolError("MQTT-2.2.1-3", "SUBSCRIBE with packet identifier 0");
            return false;
        }

        int? subscriptionIdentifier = null;
        List<UserProperty>? userProperties = null;
        var isV5 = version == ProtocolVersion.Mqtt500;
        if (isV5)
        {
            if (!reader.TryReadPropertyBlock(out var block))
            {
                error = reader.Error;
                return false;
            }

            // The reader enforces "at most one Subscription Identifier, not 0" (§3.8.2.1.2).
            var properties = new PropertyReader(block, PropertyContext.Subscribe);
            while (properties.TryRead(out var property))
            {
                if (property.Id == PropertyId.SubscriptionIdentifier)
                {
                    subscriptionIdentifier = (int)property.Number;
                }
                else
                {
                    DiagnosticProperties.AddUserProperty(ref userProperties, property);
                }
            }

            if (properties.Error.IsError)
            {
                error = properties.Error;
                return false;
            }
        }

        var subscriptions = new List<Subscription>();
        while (!reader.IsEnd)
        {
            // [MQTT-3.8.3-1] The Topic Filters MUST be UTF-8 Encoded Strings: a Malformed Packet otherwise.
            if (!reader.TryReadUtf8String(out var filterBytes) || !reader.TryReadByte(out var options))
            {
                error = reader.Error with { Field = DecodeField.TopicFilter };
                return false;
            }

            var filter = TopicFilter.Parse(filterBytes);
            if (!TryParseOptions(options, version, filter, out var parsed, out error))
            {
                return false;
            }

            subscriptions.Add(new Subscription(filter, parsed));
        }

        // [MQTT-3.8.3-2] The Payload MUST contain at least one Topic Filter and Subscription Options
        // pair (3.1.1: [MQTT-3.8.3-3], "a protocol violation").
        if (subscriptions.Count == 0)
        {
            error = DecodeError.ProtocolError("MQTT-3.8.3-2", "SUBSCRIBE without topic filters");
            return false;
        }

        packet = new SubscribePacket
        {
            PacketId = packetId,
            SubscriptionIdentifier = subscriptionIdentifier,
            UserProperties = userProperties,
            Subscriptions = subscriptions,
        };
        return true;
    }

    private static bool TryParseOptions(byte options, ProtocolVersion version, in TopicFilter filter, out SubscriptionOptions parsed, out DecodeError error)
    {
        parsed = default;
        var qos = options & 0b11;
        if (version != ProtocolVersion.Mqtt500)
        {
            // 3.1.1 [MQTT-3.8.3-4]: malformed if any reserved bit (7-2) is set or QoS is not 0, 1 or 2.
            if ((options & 0b1111_1100) != 0 || qos == 3)
            {
                error = DecodeError.Malformed("MQTT-3.8.3-4", "reserved bits or QoS 3 in requested QoS");
                return false;
            }

            parsed = new SubscriptionOptions((QualityOfService)qos);
            error = default;
            return true;
        }

        // [MQTT-3.8.3-5] The Server MUST treat a SUBSCRIBE packet as malformed if any of Reserved bits
        // in the Payload are non-zero.
        if ((options & 0b1100_0000) != 0)
        {
            error = DecodeError.Malformed("MQTT-3.8.3-5", "reserved subscription option bits set");
            return false;
        }

        // §3.8.3.1 "It is a Protocol Error if the Maximum QoS field has the value 3." (5.0 makes this a
        // protocol error, where 3.1.1 called it malformed.)
        if (qos == 3)
        {
            error = DecodeError.ProtocolError("§3.8.3.1", "subscription Maximum QoS 3");
            return false;
        }

        var retainHandling = (options >> 4) & 0b11;

        // §3.8.3.1 "It is a Protocol Error to send a Retain Handling value of 3."
        if (retainHandling == 3)
        {
            error = DecodeError.ProtocolError("§3.8.3.1", "Retain Handling 3");
            return false;
        }

        var noLocal = (options & 0b0100) != 0;

        // [MQTT-3.8.3-4] It is a Protocol Error to set the No Local bit to 1 on a Shared Subscription.
        if (noLocal && filter.IsShared)
        {
            error = DecodeError.ProtocolError("MQTT-3.8.3-4", "No Local on a shared subscription");
            return false;
        }

        parsed = new SubscriptionOptions((QualityOfService)qos, noLocal, (options & 0b1000) != 0, (RetainHandling)retainHandling);
        error = default;
        return true;
    }

    /// <summary>SUBSCRIBE carries no Reason String; user properties are always written.</summary>
    public int GetSize(ProtocolVersion version, bool includeDiagnostics = true) =>
        PropertySize.Packet(GetRemainingLength(version, out _));

    public void Write(IBufferWriter<byte> output, ProtocolVersion version, bool includeDiagnostics = true)
    {
        var remainingLength = GetRemainingLength(version, out var propertiesLength);
        var size = PropertySize.Packet(remainingLength);
        var writer = new PacketWriter(output.GetSpan(size));
        writer.WriteFixedHeader(PacketType.Subscribe, FixedHeaderFlags.QoS1, remainingLength);
        writer.WriteUInt16(PacketId);
        if (version == ProtocolVersion.Mqtt500)
        {
            writer.WriteVariableByteInteger(propertiesLength);
            if (SubscriptionIdentifier is { } id)
            {
                PropertyWriter.WriteVariableByteInteger(ref writer, PropertyId.SubscriptionIdentifier, id);
            }

            PropertyWriter.WriteUserProperties(ref writer, UserProperties);
        }

        foreach (var subscription in Subscriptions)
        {
            writer.WriteString(subscription.TopicFilter.Filter);
            writer.WriteByte(subscription.Options.Encode(version));
        }

        writer.AssertComplete(PacketType.Subscribe, size);
        output.Advance(size);
    }

    private int GetRemainingLength(ProtocolVersion version, out int propertiesLength)
    {
        if (PacketId == 0 || Subscriptions.Count == 0)
        {
            CodecThrowHelper.ThrowArgument("SUBSCRIBE needs a packet identifier and at least one filter.", nameof(Subscriptions));
        }

        propertiesLength = 0;
        var length = 2;                                                              // packet identifier
        if (version == ProtocolVersion.Mqtt500)
        {
            propertiesLength =
                (SubscriptionIdentifier is { } id ? PropertySize.VariableByteInteger(id) : 0) // 0x0B subscription identifier
                + PropertySize.UserProperties(UserProperties);                       // 0x26 user properties
            length += PropertySize.Block(propertiesLength);                          // property length + properties
        }

        foreach (var subscription in Subscriptions)
        {
            length += 2 + PropertySize.StringBytes(subscription.TopicFilter.Filter) // topic filter
                + 1;                                                                 // subscription options
        }

        return length;
    }
}
