using System.Buffers.Binary;

namespace Bifro.Bench.Mqtt;

/// <summary>Encodes the client-to-broker packets. Each method computes the exact size, then writes.</summary>
internal static class PacketWriter
{
    /// <summary>PUBACK is always 4 bytes: 5.0 lets a success ack omit the reason code [MQTT-3.4.2.1].</summary>
    public const int PubAckLength = 4;

    public static ReadOnlySpan<byte> PingReq => [0xC0, 0x00];

    /// <summary>DISCONNECT with no body: reason 0x00 (normal) is implied in 5.0 [MQTT-3.14.2.1].</summary>
    public static ReadOnlySpan<byte> Disconnect => [0xE0, 0x00];

    /// <summary>The same DISCONNECT as an array, for sends that need memory rather than a span.</summary>
    public static readonly byte[] DisconnectPacket = [0xE0, 0x00];

    public static int VarIntLength(int value) => value < 128 ? 1 : value < 16_384 ? 2 : value < 2_097_152 ? 3 : 4;

    public static int WriteVarInt(Span<byte> destination, int value)
    {
        var i = 0;
        do
        {
            var b = (byte)(value & 0x7F);
            value >>= 7;
            destination[i++] = value > 0 ? (byte)(b | 0x80) : b;
        }
        while (value > 0);
        return i;
    }

    public static byte[] Connect(MqttVersion version, string clientId, ushort keepAliveSeconds, bool cleanStart, MqttCredentials? credentials = null)
    {
        var id = System.Text.Encoding.UTF8.GetBytes(clientId);
        var username = credentials is null ? null : System.Text.Encoding.UTF8.GetBytes(credentials.Username);
        var password = credentials is null ? null : System.Text.Encoding.UTF8.GetBytes(credentials.Password);
        var remaining =
            6 // protocol name "MQTT" with its length prefix
            + 1 // protocol level
            + 1 // connect flags
            + 2 // keep alive
            + (version == MqttVersion.V500 ? 1 : 0) // empty property set
            + 2 + id.Length // client identifier
            + (username is null ? 0 : 2 + username.Length) // user name
            + (password is null ? 0 : 2 + password.Length); // password (binary data, same length prefix)
        var packet = new byte[1 + VarIntLength(remaining) + remaining];
        var span = packet.AsSpan();
        span[0] = 0x10;
        var o = 1 + WriteVarInt(span[1..], remaining);
        "\0\u0004MQTT"u8.CopyTo(span[o..]);
        o += 6;
        span[o++] = (byte)version;

        // Flags: 0x80 user name, 0x40 password, 0x02 clean session / clean start [MQTT-3.1.2.3].
        span[o++] = (byte)((cleanStart ? 0x02 : 0) | (username is null ? 0 : 0x80) | (password is null ? 0 : 0x40));
        BinaryPrimitives.WriteUInt16BigEndian(span[o..], keepAliveSeconds);
        o += 2;
        if (version == MqttVersion.V500)
        {
            span[o++] = 0;
        }

        // Payload order: client identifier, (will topic and payload: none), user name, password [MQTT-3.1.3-1].
        o = WriteField(span, o, id);
        if (username is not null)
        {
            o = WriteField(span, o, username);
        }

        if (password is not null)
        {
            WriteField(span, o, password);
        }

        return packet;
    }

    private static int WriteField(Span<byte> span, int offset, byte[] value)
    {
        BinaryPrimitives.WriteUInt16BigEndian(span[offset..], (ushort)value.Length);
        value.CopyTo(span[(offset + 2)..]);
        return offset + 2 + value.Length;
    }

    public static byte[] Subscribe(MqttVersion version, ushort packetId, string topicFilter, int qos)
    {
        var filter = System.Text.Encoding.UTF8.GetBytes(topicFilter);
        var remaining =
            2 // packet identifier
            + (version == MqttVersion.V500 ? 1 : 0) // empty property set
            + 2 + filter.Length // topic filter
            + 1; // requested QoS (5.0: subscription options with the other bits zero)
        var packet = new byte[1 + VarIntLength(remaining) + remaining];
        var span = packet.AsSpan();
        span[0] = 0x82; // [MQTT-3.8.1-1] reserved flags are 0010
        var o = 1 + WriteVarInt(span[1..], remaining);
        BinaryPrimitives.WriteUInt16BigEndian(span[o..], packetId);
        o += 2;
        if (version == MqttVersion.V500)
        {
            span[o++] = 0;
        }

        BinaryPrimitives.WriteUInt16BigEndian(span[o..], (ushort)filter.Length);
        filter.CopyTo(span[(o + 2)..]);
        span[o + 2 + filter.Length] = (byte)qos;
        return packet;
    }

    public static void WritePubAck(Span<byte> destination, ushort packetId)
    {
        destination[0] = 0x40;
        destination[1] = 2;
        BinaryPrimitives.WriteUInt16BigEndian(destination[2..], packetId);
    }
}
