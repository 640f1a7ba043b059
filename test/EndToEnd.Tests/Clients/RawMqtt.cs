using System.Text;

namespace Bifro.EndToEnd.Tests.Clients;

/// <summary>
/// MQTT packets built byte by byte for <see cref="RawMqttClient"/>, deliberately independent of the broker's
/// codec: what a test sends is exactly what it spells out. <c>level</c> is the protocol level: 3 (3.1),
/// 4 (3.1.1) or 5 (5.0).
/// </summary>
internal static class RawMqtt
{
    public const int ConnAck = 2;
    public const int Publish = 3;
    public const int PubAck = 4;
    public const int SubAck = 9;
    public const int PingResp = 13;
    public const int Disconnect = 14;

    /// <summary>PINGREQ.</summary>
    public static byte[] PingReq => [0xC0, 0x00];

    /// <summary>DISCONNECT with reason 0x00 (5.0 may omit it).</summary>
    public static byte[] NormalDisconnect => [0xE0, 0x00];

    /// <summary>
    /// CONNECT. A 5.0 CONNECT carries Session Expiry Interval (0x11) when <paramref name="sessionExpiry"/> is
    /// given; a will (QoS 0, not retained, no properties) is set when <paramref name="willTopic"/> is.
    /// </summary>
    public static byte[] Connect(
        int level, string clientId, bool cleanStart = true, ushort keepAlive = 0, uint? sessionExpiry = null,
        string? protocolName = null, string? willTopic = null, string willPayload = "")
    {
        protocolName ??= level == 3 ? "MQIsdp" : "MQTT";
        byte[] properties = [];
        if (sessionExpiry is { } expiry)
        {
            properties = [0x11, (byte)(expiry >> 24), (byte)(expiry >> 16), (byte)(expiry >> 8), (byte)expiry];
        }

        var flags = (byte)((cleanStart ? 0x02 : 0x00) | (willTopic is null ? 0x00 : 0x04));
        byte[] will = willTopic is null ? [] : [.. level == 5 ? PropertyBlock([]) : [], .. Utf8(willTopic), .. Utf8(willPayload)];
        return Packet(
            0x10,
            Utf8(protocolName),
            [(byte)level, flags],
            UInt16(keepAlive),
            level == 5 ? PropertyBlock(properties) : [],
            Utf8(clientId),
            will);
    }

    /// <summary>PUBLISH to a UTF-8 topic. <paramref name="qos"/> goes into the header as given, 3 included.</summary>
    public static byte[] PublishPacket(int level, string topic, int qos = 0, ushort packetId = 1, string payload = "", byte[]? properties = null) =>
        PublishPacket(level, Encoding.UTF8.GetBytes(topic), qos, packetId, Encoding.UTF8.GetBytes(payload), properties);

    /// <summary>PUBLISH to a topic given as raw bytes (which need not be UTF-8).</summary>
    public static byte[] PublishPacket(int level, byte[] topic, int qos, ushort packetId, byte[] payload, byte[]? properties = null) =>
        Packet(
            (byte)(0x30 | (qos << 1)),
            Binary(topic),
            qos > 0 ? UInt16(packetId) : [],
            level == 5 ? PropertyBlock(properties ?? []) : [],
            payload);

    /// <summary>PUBACK with reason 0x00 (5.0 may omit it).</summary>
    public static byte[] PubAckPacket(ushort packetId) => Packet(0x40, UInt16(packetId));

    /// <summary>SUBSCRIBE to one filter.</summary>
    public static byte[] Subscribe(int level, ushort packetId, string filter, int qos) =>
        Packet(0x82, UInt16(packetId), level == 5 ? PropertyBlock([]) : [], Utf8(filter), [(byte)qos]);

    /// <summary>A fixed header byte, the remaining length as a variable byte integer, then the parts.</summary>
    public static byte[] Packet(byte header, params byte[][] parts)
    {
        var body = parts.SelectMany(part => part).ToArray();
        return [header, .. VariableByteInteger(body.Length), .. body];
    }

    public static byte[] VariableByteInteger(int value)
    {
        var bytes = new List<byte>();
        do
        {
            var digit = (byte)(value % 128);
            value /= 128;
            bytes.Add(value > 0 ? (byte)(digit | 0x80) : digit);
        }
        while (value > 0);
        return [.. bytes];
    }

    /// <summary>A 5.0 property block: its length, then the properties.</summary>
    public static byte[] PropertyBlock(byte[] properties) => [.. VariableByteInteger(properties.Length), .. properties];

    public static byte[] Utf8(string value) => Binary(Encoding.UTF8.GetBytes(value));

    public static byte[] Binary(byte[] value) => [.. UInt16(value.Length), .. value];

    public static byte[] UInt16(int value) => [(byte)(value >> 8), (byte)value];
}
