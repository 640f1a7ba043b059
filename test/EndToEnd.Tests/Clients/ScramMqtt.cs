using System.Text;
using Bifro.TestKit;
using Xunit;

namespace Bifro.EndToEnd.Tests.Clients;

/// <summary>The packets and steps of SCRAM-SHA-256 over MQTT 5.0 enhanced authentication, for <see cref="RawMqttClient"/>.</summary>
internal static class ScramMqtt
{
    public const string Method = "SCRAM-SHA-256";

    private static readonly TimeSpan Timeout = Mosquitto.DefaultTimeout;

    /// <summary>CONNECT with the client-first-message, AUTH 0x18 with the server-first, AUTH 0x18 with the client-final; returns CONNACK.</summary>
    public static async Task<RawPacket> ExchangeAsync(RawMqttClient client, ScramClient scram, string clientId, BrokerProcess broker)
    {
        await client.SendAsync(Connect(clientId, Method, scram.ClientFirst()));

        // [MQTT-4.12.0-2] The server continues with AUTH 0x18 carrying its challenge.
        var serverFirst = await ReadAuthAsync(client, 0x18, broker);
        Assert.StartsWith("r=", Encoding.UTF8.GetString(AuthData(serverFirst)), StringComparison.Ordinal);
        await client.SendAsync(Auth(0x18, scram.ClientFinal(AuthData(serverFirst))));
        var connAck = await client.ReadAsync(Timeout);
        Assert.True(connAck is { Type: RawMqtt.ConnAck }, $"expected CONNACK, got {connAck}\n{broker.Output}");
        return connAck!.Value;
    }

    /// <summary>The next packet, which must be AUTH with <paramref name="reason"/> naming the method [MQTT-4.12.0-5].</summary>
    public static async Task<RawPacket> ReadAuthAsync(RawMqttClient client, byte reason, BrokerProcess broker)
    {
        var packet = await client.ReadAsync(Timeout);
        Assert.True(packet is { Type: 15 }, $"expected AUTH 0x{reason:X2}, got {packet?.ToString() ?? "the connection closed"}\n{broker.Output}");
        Assert.Equal(reason, packet!.Value.Body[0]);
        Assert.Equal(Method, RawProperties.Text(RawProperties.OfAuth(packet.Value), RawProperties.AuthenticationMethod));
        return packet.Value;
    }

    /// <summary>The Authentication Data of an AUTH or CONNACK.</summary>
    public static byte[] AuthData(RawPacket packet) =>
        (packet.Type == RawMqtt.ConnAck ? RawProperties.OfConnAck(packet) : RawProperties.OfAuth(packet))[RawProperties.AuthenticationData];

    /// <summary>A 5.0 CONNECT with Authentication Method (0x15) and Authentication Data (0x16), clean start, no user name.</summary>
    public static byte[] Connect(string clientId, string method, byte[] data) =>
        RawMqtt.Packet(
            0x10,
            RawMqtt.Utf8("MQTT"),
            [5, 0x02],
            RawMqtt.UInt16(30),
            RawMqtt.PropertyBlock([0x15, .. RawMqtt.Utf8(method), 0x16, .. RawMqtt.Binary(data)]),
            RawMqtt.Utf8(clientId));

    /// <summary>AUTH with a reason code (0x18 continue, 0x19 re-authenticate) and SCRAM data.</summary>
    public static byte[] Auth(byte reason, byte[] data) =>
        RawMqtt.Packet(0xF0, [reason], RawMqtt.PropertyBlock([0x15, .. RawMqtt.Utf8(Method), 0x16, .. RawMqtt.Binary(data)]));
}
