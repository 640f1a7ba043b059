using Bifro.MqttEdge.Codec.Framing;
using Bifro.MqttEdge.Codec.Properties;
using Bifro.MqttEdge.Codec.Validation;

namespace Bifro.MqttEdge.Codec.Packets;

/// <summary>
/// CONNACK (section 3.2).
/// <code>
/// 3.1     reserved byte (0)            | return code 0-5
/// 3.1.1   flags (bit 0 session present) | return code 0-5
/// 5.0     flags (bit 0 session present) | reason code | property block
/// </code>
/// <see cref="ReasonCode"/> always holds a 5.0 reason code. For 3.x the writer maps it to a return code
/// and the reader maps back (<see cref="ToReturnCode"/>, <see cref="FromReturnCode"/>), so a connection
/// speaks 5.0 codes whatever the version.
/// </summary>
internal sealed partial class ConnAckPacket : IControlPacket
{
    /// <summary>Session Present; always false in 3.1, and when the reason code is a failure.</summary>
    public bool SessionPresent { get; init; }

    public ReasonCode ReasonCode { get; init; }

    /// <summary>Session Expiry Interval (0x11) chosen by the server, null if absent.</summary>
    public uint? SessionExpiryInterval { get; init; }

    /// <summary>Receive Maximum (0x21), 1..65535, null if absent (65535).</summary>
    public ushort? ReceiveMaximum { get; init; }

    /// <summary>Maximum QoS (0x24), 0 or 1, null if absent (2).</summary>
    public QualityOfService? MaximumQoS { get; init; }

    /// <summary>Retain Available (0x25), null if absent (true).</summary>
    public bool? RetainAvailable { get; init; }

    /// <summary>Maximum Packet Size (0x27), null if absent (no limit).</summary>
    public uint? MaximumPacketSize { get; init; }

    /// <summary>Assigned Client Identifier (0x12), null if absent.</summary>
    public string? AssignedClientIdentifier { get; init; }

    /// <summary>Topic Alias Maximum (0x22), null if absent (0).</summary>
    public ushort? TopicAliasMaximum { get; init; }

    /// <summary>Reason String (0x1F), null if absent.</summary>
    public string? ReasonString { get; init; }

    /// <summary>User Properties (0x26), null if none.</summary>
    public List<UserProperty>? UserProperties { get; init; }

    /// <summary>Wildcard Subscription Available (0x28), null if absent (true).</summary>
    public bool? WildcardSubscriptionAvailable { get; init; }

    /// <summary>Subscription Identifiers Available (0x29), null if absent (true).</summary>
    public bool? SubscriptionIdentifiersAvailable { get; init; }

    /// <summary>Shared Subscription Available (0x2A), null if absent (true).</summary>
    public bool? SharedSubscriptionAvailable { get; init; }

    /// <summary>Server Keep Alive (0x13), null if absent.</summary>
    public ushort? ServerKeepAlive { get; init; }

    /// <summary>Response Information (0x1A), null if absent.</summary>
    public string? ResponseInformation { get; init; }

    /// <summary>Server Reference (0x1C), null if absent.</summary>
    public string? ServerReference { get; init; }

    /// <summary>Authentication Method (0x15), null if absent.</summary>
    public string? AuthenticationMethod { get; init; }

    /// <summary>Authentication Data (0x16), null if absent.</summary>
    public byte[]? AuthenticationData { get; init; }

    /// <summary>
    /// The 3.x return code for a 5.0 reason code: 0 accepted, 1 unacceptable protocol version,
    /// 2 identifier rejected, 3 server unavailable, 4 bad user name or password, 5 not authorized.
    /// Codes without a 3.x equivalent map to 5 when about authority, else to 3.
    /// </summary>
    public static byte ToReturnCode(ReasonCode reasonCode) => reasonCode switch
    {
        ReasonCode.Success => 0,
        ReasonCode.UnsupportedProtocolVersion => 1,
        ReasonCode.ClientIdentifierNotValid => 2,
        ReasonCode.ServerUnavailable => 3,
        ReasonCode.BadUserNameOrPassword => 4,
        ReasonCode.NotAuthorized or ReasonCode.Banned or ReasonCode.BadAuthenticationMethod => 5,
        _ => 3,
    };

    /// <summary>The 5.0 reason code for a 3.x return code 0-5; null for a reserved value.</summary>
    public static ReasonCode? FromReturnCode(byte returnCode) => returnCode switch
    {
        0 => ReasonCode.Success,
        1 => ReasonCode.UnsupportedProtocolVersion,
        2 => ReasonCode.ClientIdentifierNotValid,
        3 => ReasonCode.ServerUnavailable,
        4 => ReasonCode.BadUserNameOrPassword,
        5 => ReasonCode.NotAuthorized,
        _ => null,
    };

    /// <summary>
    /// Decodes a CONNACK body. MalformedPacket: flags, reserved acknowledge flags, undefined return
    /// or reason codes, lengths. ProtocolError: Session Present with a failure, property rules.
    /// </summary>
    public static bool TryRead(byte flags, ReadOnlySpan<byte> body, ProtocolVersion version, out ConnAckPacket? packet, out DecodeError error)
    {
        packet = null;
        if (!FixedHeaderFlags.TryValidate(PacketType.ConnAck, flags, version, out error))
        {
            return false;
        }

        var reader = new PacketReader(body);
        if (!reader.TryReadByte(out var acknowledgeFlags) || !reader.TryReadByte(out var code))
        {
            error = reader.Error;
            return false;
        }

        // 3.1: the first byte is "reserved, not used" and carries no session present bit.
        var sessionPresent = false;
        if (version != ProtocolVersion.Mqtt310)
        {
            // [MQTT-3.2.2-1] Byte 1 is the "Connect Acknowledge Flags". Bits 7-1 are reserved and MUST be set to 0.
            if ((acknowledgeFlags & 0b1111_1110) != 0)
            {
                error = DecodeError.Malformed("MQTT-3.2.2-1", "reserved connect acknowledge flags set");
                return false;
            }

            sessionPresent = (acknowledgeFlags & 1) != 0;
        }

        ReasonCode reasonCode;
        if (version == ProtocolVersion.Mqtt500)
        {
            // [MQTT-3.2.2-8] one of the Connect Reason Codes.
            if (!ReasonCodeValidator.TryValidate(PacketType.ConnAck, code, out error))
            {
                return false;
            }

            reasonCode = (ReasonCode)code;
        }
        else if (FromReturnCode(code) is { } mapped)
        {
            reasonCode = mapped;
        }
        else
        {
            // 3.1.1 §3.2.2.3: return codes 6-255 are reserved.
            error = DecodeError.Malformed("§3.2.2.3", "reserved CONNACK return code");
            return false;
        }

        // [MQTT-3.2.2-6] (3.1.1 [MQTT-3.2.2-4]) With a non-zero code, Session Present MUST be 0.
        if (sessionPresent && reasonCode != ReasonCode.Success)
        {
            error = DecodeError.ProtocolError("MQTT-3.2.2-6", "session present with a failure reason code");
            return false;
        }

        var packetValue = new ConnAckPacket { SessionPresent = sessionPresent, ReasonCode = reasonCode };
        if (version == ProtocolVersion.Mqtt500)
        {
            if (!reader.TryReadPropertyBlock(out var block))
            {
                error = reader.Error;
                return false;
            }

            if (!TryReadProperties(block, packetValue, out packetValue, out error))
            {
                return false;
            }
        }

        if (!reader.TryReadEnd())
        {
            error = reader.Error;
            return false;
        }

        packet = packetValue;
        return true;
    }

    private static bool TryReadProperties(ReadOnlySpan<byte> block, ConnAckPacket header, out ConnAckPacket packet, out DecodeError error)
    {
        uint? sessionExpiryInterval = null;
        ushort? receiveMaximum = null;
        QualityOfService? maximumQoS = null;
        bool? retainAvailable = null;
        uint? maximumPacketSize = null;
        string? assignedClientIdentifier = null;
        ushort? topicAliasMaximum = null;
        string? reasonString = null;
        List<UserProperty>? userProperties = null;
        bool? wildcardSubscriptionAvailable = null;
        bool? subscriptionIdentifiersAvailable = null;
        bool? sharedSubscriptionAvailable = null;
        ushort? serverKeepAlive = null;
        string? responseInformation = null;
        string? serverReference = null;
        string? authenticationMethod = null;
        byte[]? authenticationData = null;

        var properties = new PropertyReader(block, PropertyContext.ConnAck);
        while (properties.TryRead(out var property))
        {
            switch (property.Id)
            {
                case PropertyId.SessionExpiryInterval: sessionExpiryInterval = property.Number; break;
                case PropertyId.ReceiveMaximum: receiveMaximum = (ushort)property.Number; break;
                case PropertyId.MaximumQoS: maximumQoS = (QualityOfService)property.Number; break;
                case PropertyId.RetainAvailable: retainAvailable = property.Number == 1; break;
                case PropertyId.MaximumPacketSize: maximumPacketSize = property.Number; break;
                case PropertyId.AssignedClientIdentifier: assignedClientIdentifier = PropertyReader.ToString(property.Data); break;
                case PropertyId.TopicAliasMaximum: topicAliasMaximum = (ushort)property.Number; break;
                case PropertyId.ReasonString: reasonString = PropertyReader.ToString(property.Data); break;
                case PropertyId.UserProperty: DiagnosticProperties.AddUserProperty(ref userProperties, property); break;
                case PropertyId.WildcardSubscriptionAvailable: wildcardSubscriptionAvailable = property.Number == 1; break;
                case PropertyId.SubscriptionIdentifierAvailable: subscriptionIdentifiersAvailable = property.Number == 1; break;
                case PropertyId.SharedSubscriptionAvailable: sharedSubscriptionAvailable = property.Number == 1; break;
                case PropertyId.ServerKeepAlive: serverKeepAlive = (ushort)property.Number; break;
                case PropertyId.ResponseInformation: responseInformation = PropertyReader.ToString(property.Data); break;
                case PropertyId.ServerReference: serverReference = PropertyReader.ToString(property.Data); break;
                case PropertyId.AuthenticationMethod: authenticationMethod = PropertyReader.ToString(property.Data); break;
                case PropertyId.AuthenticationData: authenticationData = property.Data.ToArray(); break;
            }
        }

        packet = header;
        error = properties.Error;
        if (error.IsError)
        {
            return false;
        }

        // §3.1.2.11.10 (and §3.2.2.3.18): Authentication Data without Authentication Method is a Protocol Error.
        if (authenticationData is not null && authenticationMethod is null)
        {
            error = DecodeError.ProtocolError("§3.1.2.11.10", "Authentication Data without Authentication Method");
            return false;
        }

        packet = new ConnAckPacket
        {
            SessionPresent = header.SessionPresent,
            ReasonCode = header.ReasonCode,
            SessionExpiryInterval = sessionExpiryInterval,
            ReceiveMaximum = receiveMaximum,
            MaximumQoS = maximumQoS,
            RetainAvailable = retainAvailable,
            MaximumPacketSize = maximumPacketSize,
            AssignedClientIdentifier = assignedClientIdentifier,
            TopicAliasMaximum = topicAliasMaximum,
            ReasonString = reasonString,
            UserProperties = userProperties,
            WildcardSubscriptionAvailable = wildcardSubscriptionAvailable,
            SubscriptionIdentifiersAvailable = subscriptionIdentifiersAvailable,
            SharedSubscriptionAvailable = sharedSubscriptionAvailable,
            ServerKeepAlive = serverKeepAlive,
            ResponseInformation = responseInformation,
            ServerReference = serverReference,
            AuthenticationMethod = authenticationMethod,
            AuthenticationData = authenticationData,
        };
        return true;
    }
}
