using System.Text;
using Bifro.MqttEdge.Codec.Framing;
using Bifro.MqttEdge.Codec.Validation;

namespace Bifro.MqttEdge.Codec.Properties;

/// <summary>
/// Iterates a property block (the bytes after the Property Length) and validates, for every property:
/// <list type="bullet">
/// <item>its identifier is a 5.0 property allowed in this packet, else <b>MalformedPacket</b>
/// (section 2.2.2.2: "A Control Packet which contains an Identifier which is not valid for its packet
/// type, or contains a value not of the specified data type, is a Malformed Packet");</item>
/// <item>its value is well-formed for its type (lengths, UTF-8, minimal variable byte integers), else
/// <b>MalformedPacket</b>;</item>
/// <item>it does not appear twice (except User Property, and Subscription Identifier in PUBLISH), else
/// <b>ProtocolError</b>: every property section says "It is a Protocol Error to include X more than once";</item>
/// <item>its value is in range (0/1 flags; Receive Maximum, Maximum Packet Size, Topic Alias and
/// Subscription Identifier not 0; Response Topic a valid topic name), else <b>ProtocolError</b>,
/// as the property sections say.</item>
/// </list>
/// Cross-property rules (Authentication Data needs Authentication Method) are the packet's to check,
/// using <see cref="Contains"/>.
/// </summary>
internal ref struct PropertyReader
{
    private PacketReader _reader;
    private readonly PropertyContext _context;
    private ulong _seen;

    public PropertyReader(ReadOnlySpan<byte> block, PropertyContext context)
    {
        _reader = new PacketReader(block);
        _context = context;
        _seen = 0;
    }

    /// <summary>Why <see cref="TryRead"/> returned false; <c>default</c> at a clean end.</summary>
    public readonly DecodeError Error => _reader.Error;

    /// <summary>True if a property with <paramref name="id"/> has been read.</summary>
    public readonly bool Contains(PropertyId id) => (_seen & (1UL << (int)id)) != 0;

    /// <summary>Bitmask of the identifiers read so far, bit n for identifier n.</summary>
    public readonly ulong Seen => _seen;

    /// <summary>Reads the next property; false at the end of the block or on an error (see <see cref="Error"/>).</summary>
    public bool TryRead(out Property property)
    {
        property = default;
        if (_reader.IsEnd)
        {
            return false;
        }

        var offset = _reader.Position;

        // The identifier is a variable byte integer (section 2.2.2.2), one byte for every 5.0 property.
        if (!_reader.TryReadVariableByteInteger(out var rawId))
        {
            return false;
        }

        var type = rawId <= PropertyDefinitions.MaxId ? PropertyDefinitions.GetType(rawId) : PropertyType.None;
        var id = (PropertyId)rawId;
        if (type == PropertyType.None || (PropertyDefinitions.GetAllowedContexts(id) & _context) == 0)
        {
            // §2.2.2.2: an identifier not valid for its packet type is a Malformed Packet.
            return _reader.Fail(DecodeError.Malformed("§2.2.2.2", "property not allowed in this packet"));
        }

        var bit = 1UL << rawId;
        if ((_seen & bit) != 0 && !IsRepeatable(id))
        {
            return _reader.Fail(DecodeError.ProtocolError(PropertyDefinitions.GetSection(id), "property included more than once"));
        }

        _seen |= bit;

        uint number = 0;
        ReadOnlySpan<byte> data = default;
        ReadOnlySpan<byte> value = default;
        switch (type)
        {
            case PropertyType.Byte:
                if (!_reader.TryReadByte(out var b))
                {
                    return false;
                }

                // Every byte property is a 0/1 flag or Maximum QoS, also 0 or 1 (section 3.2.2.3.4).
                if (b > 1)
                {
                    return _reader.Fail(DecodeError.ProtocolError(PropertyDefinitions.GetSection(id), "property value must be 0 or 1"));
                }

                number = b;
                break;
            case PropertyType.TwoByteInteger:
                if (!_reader.TryReadUInt16(out var u16))
                {
                    return false;
                }

                // §3.1.2.11.3 / §3.2.2.3.3 Receive Maximum 0; [MQTT-3.3.2-8] Topic Alias 0.
                if (u16 == 0 && id is PropertyId.ReceiveMaximum or PropertyId.TopicAlias)
                {
                    return _reader.Fail(DecodeError.ProtocolError(PropertyDefinitions.GetSection(id), "property value must not be 0"));
                }

                number = u16;
                break;
            case PropertyType.FourByteInteger:
                if (!_reader.TryReadUInt32(out number))
                {
                    return false;
                }

                // §3.1.2.11.4 / §3.2.2.3.6 Maximum Packet Size 0.
                if (number == 0 && id == PropertyId.MaximumPacketSize)
                {
                    return _reader.Fail(DecodeError.ProtocolError(PropertyDefinitions.GetSection(id), "property value must not be 0"));
                }

                break;
            case PropertyType.VariableByteInteger:
                if (!_reader.TryReadVariableByteInteger(out var vbi))
                {
                    return false;
                }

                // §3.3.2.3.8 / §3.8.2.1.2 "It is a Protocol Error if the Subscription Identifier has a value of 0."
                if (vbi == 0)
                {
                    return _reader.Fail(DecodeError.ProtocolError(PropertyDefinitions.GetSection(id), "subscription identifier 0"));
                }

                number = (uint)vbi;
                break;
            case PropertyType.Utf8String:
                if (!_reader.TryReadUtf8String(out data))
                {
                    return false;
                }

                // [MQTT-3.3.2-14] The Response Topic MUST NOT contain wildcard characters (and, as a
                // topic name, is not empty [MQTT-4.7.3-1]). Reported as a protocol error: it is not the
                // packet's topic, so TopicNameInvalid (0x90) would mislead.
                if (id == PropertyId.ResponseTopic && !TopicValidator.IsValidTopicName(data))
                {
                    return _reader.Fail(DecodeError.ProtocolError("MQTT-3.3.2-14", "response topic is not a valid topic name"));
                }

                break;
            case PropertyType.Utf8StringPair:
                if (!_reader.TryReadUtf8String(out data) || !_reader.TryReadUtf8String(out value))
                {
                    return false;
                }

                break;
            case PropertyType.BinaryData:
                if (!_reader.TryReadBinary(out data))
                {
                    return false;
                }

                break;
        }

        property = new Property(id, number, data, value, offset, _reader.Position - offset);
        return true;
    }

    /// <summary>Reads the whole block, for callers that only need <see cref="Seen"/> and the checks.</summary>
    public bool TrySkipToEnd()
    {
        while (TryRead(out _))
        {
        }

        return !_reader.Error.IsError;
    }

    private readonly bool IsRepeatable(PropertyId id) =>
        id == PropertyId.UserProperty
        // §3.3.4: a PUBLISH to a client carries one Subscription Identifier per matching subscription.
        || (id == PropertyId.SubscriptionIdentifier && _context == PropertyContext.Publish);

    /// <summary>Decodes a validated UTF-8 value to a string (control packets only; PUBLISH keeps spans).</summary>
    public static string ToString(ReadOnlySpan<byte> utf8) => Encoding.UTF8.GetString(utf8);
}
