using System.Buffers;
using System.Text;
using Bifro.MqttEdge.Codec.Framing;
using Bifro.MqttEdge.Codec.Properties;
using Bifro.MqttEdge.Codec.Validation;

namespace Bifro.MqttEdge.Codec.Packets;

/// <summary>
/// CONNECT (section 3.1). Rare, so a plain class with .NET types; null means "absent".
/// <code>
/// variable header  protocol name ("MQIsdp" for 3.1, "MQTT" for 3.1.1 and 5.0) | level (3, 4, 5)
///                  connect flags | keep alive (2) | 5.0: property block
/// payload          client id | 5.0: will properties | will topic | will payload   (if will flag)
///                  user name (if flag) | password (if flag)
/// connect flags    7 user name | 6 password | 5 will retain | 4-3 will QoS | 2 will | 1 clean | 0 reserved
/// </code>
/// </summary>
internal sealed partial class ConnectPacket : IControlPacket
{
    private const byte UserNameFlag = 0b1000_0000;
    private const byte PasswordFlag = 0b0100_0000;
    private const byte WillRetainFlag = 0b0010_0000;
    private const byte WillFlag = 0b0000_0100;
    private const byte CleanStartFlag = 0b0000_0010;
    private const byte ReservedFlag = 0b0000_0001;

    private static ReadOnlySpan<byte> Mqtt => "MQTT"u8;

    private static ReadOnlySpan<byte> MqIsdp => "MQIsdp"u8;

    /// <summary>Protocol version, from the protocol name and level. Set by <see cref="TryRead"/>; writers take the version as an argument.</summary>
    public ProtocolVersion Version { get; init; } = ProtocolVersion.Mqtt500;

    /// <summary>Client Identifier, possibly empty (the server may assign one).</summary>
    public string ClientId { get; init; } = "";

    /// <summary>Clean Session (3.x) / Clean Start (5.0).</summary>
    public bool CleanStart { get; init; }

    /// <summary>Keep Alive in seconds, 0 for none.</summary>
    public ushort KeepAlive { get; init; }

    /// <summary>User Name, null if the flag is not set.</summary>
    public string? UserName { get; init; }

    /// <summary>Password, null if the flag is not set. In 3.x only together with a user name [MQTT-3.1.2-22].</summary>
    public byte[]? Password { get; init; }

    /// <summary>The Will, null if the will flag is not set.</summary>
    public WillMessage? Will { get; init; }

    /// <summary>Session Expiry Interval (0x11), null if absent (0).</summary>
    public uint? SessionExpiryInterval { get; init; }

    /// <summary>Receive Maximum (0x21), 1..65535, null if absent (65535).</summary>
    public ushort? ReceiveMaximum { get; init; }

    /// <summary>Maximum Packet Size (0x27), null if absent (no limit).</summary>
    public uint? MaximumPacketSize { get; init; }

    /// <summary>Topic Alias Maximum (0x22), null if absent (0).</summary>
    public ushort? TopicAliasMaximum { get; init; }

    /// <summary>Request Response Information (0x19), null if absent (false).</summary>
    public bool? RequestResponseInformation { get; init; }

    /// <summary>Request Problem Information (0x17), null if absent (true).</summary>
    public bool? RequestProblemInformation { get; init; }

    /// <summary>User Properties (0x26), null if none.</summary>
    public List<UserProperty>? UserProperties { get; init; }

    /// <summary>Authentication Method (0x15), null if absent.</summary>
    public string? AuthenticationMethod { get; init; }

    /// <summary>Authentication Data (0x16), null if absent.</summary>
    public byte[]? AuthenticationData { get; init; }

    /// <summary>
    /// Reads only the protocol name and level, to choose the CONNACK format for an error: true with the
    /// version when they name a supported protocol. After a failed <see cref="TryRead"/>, a connection
    /// answers a 5.0 CONNACK when this yields <see cref="ProtocolVersion.Mqtt500"/>, otherwise a 3.1.1
    /// CONNACK (for <see cref="ReasonCode.UnsupportedProtocolVersion"/>: return code 0x01), or closes.
    /// </summary>
    public static bool TryPeekVersion(ReadOnlySpan<byte> body, out ProtocolVersion version)
    {
        var reader = new PacketReader(body);
        version = default;
        if (!reader.TryReadBinary(out var name) || !reader.TryReadByte(out var level))
        {
            return false;
        }

        return TryGetVersion(name, level, out version, out _);
    }

    private static bool TryGetVersion(ReadOnlySpan<byte> name, byte level, out ProtocolVersion version, out DecodeError error)
    {
        version = (ProtocolVersion)level;
        if (name.SequenceEqual(Mqtt))
        {
            if (level is (byte)ProtocolVersion.Mqtt311 or (byte)ProtocolVersion.Mqtt500)
            {
                error = default;
                return true;
            }
        }
        else if (name.SequenceEqual(MqIsdp))
        {
            if (level == (byte)ProtocolVersion.Mqtt310)
            {
                error = default;
                return true;
            }
        }
        else
        {
            // [MQTT-3.1.2-1] A protocol name other than "MQTT" (or 3.1's "MQIsdp"): the server may close, or
            // answer as for an unsupported version. Reported as UnsupportedProtocolVersion so that the
            // connection can tell it from a malformed CONNECT.
            error = DecodeError.UnsupportedProtocolVersion("MQTT-3.1.2-1", "unknown protocol name");
            return false;
        }

        // [MQTT-3.1.2-2] An unsupported protocol level: CONNACK 0x84 (5.0) / return code 0x01 (3.1.1), then close.
        error = DecodeError.UnsupportedProtocolVersion("MQTT-3.1.2-2", "unsupported protocol level");
        return false;
    }

    /// <summary>
    /// Decodes a CONNECT body; the version comes from the packet. UnsupportedProtocolVersion (0x84) for
    /// an unknown protocol name or level; MalformedPacket for flags, UTF-8, lengths and the flag rules;
    /// TopicNameInvalid for an invalid will topic; ProtocolError for property rules.
    /// </summary>
    public static bool TryRead(byte flags, ReadOnlySpan<byte> body, out ConnectPacket? packet, out DecodeError error)
    {
        packet = null;

        // [MQTT-2.1.3-1] CONNECT has flags 0.
        if (!FixedHeaderFlags.TryValidate(PacketType.Connect, flags, ProtocolVersion.Mqtt311, out error))
        {
            return false;
        }

        var reader = new PacketReader(body);

        // The protocol name is compared as bytes: anything but "MQTT"/"MQIsdp" is unsupported, UTF-8 or not.
        if (!reader.TryReadBinary(out var name) || !reader.TryReadByte(out var level))
        {
            error = reader.Error;
            return false;
        }

        if (!TryGetVersion(name, level, out var version, out error))
        {
            return false;
        }

        var isV5 = version == ProtocolVersion.Mqtt500;
        if (!reader.TryReadByte(out var connectFlags) || !reader.TryReadUInt16(out var keepAlive))
        {
            error = reader.Error;
            return false;
        }

        if (!TryValidateFlags(connectFlags, version, out error))
        {
            return false;
        }

        var builder = new Builder { Version = version, KeepAlive = keepAlive, CleanStart = (connectFlags & CleanStartFlag) != 0 };
        if (isV5)
        {
            if (!reader.TryReadPropertyBlock(out var block))
            {
                error = reader.Error;
                return false;
            }

            if (!builder.TryReadConnectProperties(block, out error))
            {
                return false;
            }
        }

        // [MQTT-3.1.3-4] The Client Identifier MUST be a UTF-8 Encoded String. It may be empty (the server
        // decides whether to assign one, [MQTT-3.1.3-6]/[MQTT-3.1.3-8]).
        if (!reader.TryReadUtf8String(out var clientId))
        {
            error = reader.Error with { Field = DecodeField.ClientId };
            return false;
        }

        builder.ClientId = Encoding.UTF8.GetString(clientId);

        if ((connectFlags & WillFlag) != 0)
        {
            if (!builder.TryReadWill(ref reader, connectFlags, isV5, out error))
            {
                error = error with { Field = DecodeField.WillTopic };
                return false;
            }
        }

        if ((connectFlags & UserNameFlag) != 0)
        {
            // [MQTT-3.1.3-11] (5.0 [MQTT-3.1.3-12]) The User Name MUST be a UTF-8 Encoded String.
            if (!reader.TryReadUtf8String(out var userName))
            {
                error = reader.Error with { Field = DecodeField.UserName };
                return false;
            }

            builder.UserName = Encoding.UTF8.GetString(userName);
        }

        if ((connectFlags & PasswordFlag) != 0)
        {
            // §3.1.3.6 The Password is Binary Data.
            if (!reader.TryReadBinary(out var password))
            {
                error = reader.Error;
                return false;
            }

            builder.Password = password.ToArray();
        }

        if (!reader.TryReadEnd())
        {
            error = reader.Error;
            return false;
        }

        packet = builder.Build();
        return true;
    }

    private static bool TryValidateFlags(byte connectFlags, ProtocolVersion version, out DecodeError error)
    {
        // [MQTT-3.1.2-3] The Server MUST validate that the reserved flag in the CONNECT packet is set to 0.
        if ((connectFlags & ReservedFlag) != 0)
        {
            error = DecodeError.Malformed("MQTT-3.1.2-3", "reserved connect flag set");
            return false;
        }

        var willQoS = (connectFlags >> 3) & 0b11;
        if ((connectFlags & WillFlag) == 0)
        {
            // [MQTT-3.1.2-11] (3.1.1 [MQTT-3.1.2-13]) If the Will Flag is 0, the Will QoS MUST be 0.
            if (willQoS != 0)
            {
                error = DecodeError.Malformed("MQTT-3.1.2-11", "will QoS without will flag");
                return false;
            }

            // [MQTT-3.1.2-13] (3.1.1 [MQTT-3.1.2-15]) If the Will Flag is 0, Will Retain MUST be 0.
            if ((connectFlags & WillRetainFlag) != 0)
            {
                error = DecodeError.Malformed("MQTT-3.1.2-13", "will retain without will flag");
                return false;
            }
        }
        else if (willQoS == 3)
        {
            // [MQTT-3.1.2-12] (3.1.1 [MQTT-3.1.2-14]) A Will QoS of 3 is a Malformed Packet.
            error = DecodeError.Malformed("MQTT-3.1.2-12", "will QoS 3");
            return false;
        }

        // 3.1.1 [MQTT-3.1.2-22] If the User Name Flag is 0, the Password Flag MUST be 0. 5.0 allows a
        // password without a user name (§3.1.2.9).
        if (version != ProtocolVersion.Mqtt500 && (connectFlags & (UserNameFlag | PasswordFlag)) == PasswordFlag)
        {
            error = DecodeError.Malformed("MQTT-3.1.2-22", "password flag without user name flag");
            return false;
        }

        error = default;
        return true;
    }
}
