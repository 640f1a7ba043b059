using Bifro.MqttEdge.Codec;
using Bifro.MqttEdge.Codec.Packets;
using Bifro.MqttEdge.Codec.Properties;
using Bifro.MqttEdge.Tests.Codec.Support;
using Xunit;
using static Bifro.MqttEdge.Tests.Codec.Support.Bytes;

namespace Bifro.MqttEdge.Tests.Codec.Packets;

public sealed class ConnectPacketTests
{
    // A 3.1.1 CONNECT: user name, password and clean session (flags 0xC2), keep alive 60, client id "abc".
    private static readonly byte[] Connect311 =
    [
        0x10, 0x1B,
        0x00, 0x04, (byte)'M', (byte)'Q', (byte)'T', (byte)'T', 0x04, 0xC2, 0x00, 0x3C,
        0x00, 0x03, (byte)'a', (byte)'b', (byte)'c',
        0x00, 0x04, (byte)'u', (byte)'s', (byte)'e', (byte)'r',
        0x00, 0x04, (byte)'p', (byte)'a', (byte)'s', (byte)'s',
    ];

    // A 5.0 CONNECT with properties (section 3.1.2.12 example values): clean start, keep alive 10,
    // Session Expiry Interval 10, Receive Maximum 20, client id "c1".
    private static readonly byte[] Connect5 =
    [
        0x10, 0x17,
        0x00, 0x04, (byte)'M', (byte)'Q', (byte)'T', (byte)'T', 0x05, 0x02, 0x00, 0x0A,
        0x08, 0x11, 0x00, 0x00, 0x00, 0x0A, 0x21, 0x00, 0x14,
        0x00, 0x02, (byte)'c', (byte)'1',
    ];

    [Fact]
    public void Read_Spec311Vector_DecodesFields()
    {
        var packet = Assert.IsType<ConnectPacket>(PacketCodec.Read(Connect311, ProtocolVersion.Mqtt311));

        Assert.Equal(ProtocolVersion.Mqtt311, packet.Version);
        Assert.Equal("abc", packet.ClientId);
        Assert.True(packet.CleanStart);
        Assert.Equal(60, packet.KeepAlive);
        Assert.Equal("user", packet.UserName);
        Assert.Equal("pass"u8.ToArray(), packet.Password);
        Assert.Null(packet.Will);
        Assert.Equal(Connect311, PacketCodec.Write(packet, ProtocolVersion.Mqtt311));
    }

    [Fact]
    public void Read_Spec50VectorWithProperties_DecodesFields()
    {
        var packet = Assert.IsType<ConnectPacket>(PacketCodec.Read(Connect5, ProtocolVersion.Mqtt500));

        Assert.Equal(ProtocolVersion.Mqtt500, packet.Version);
        Assert.Equal("c1", packet.ClientId);
        Assert.Equal(10, packet.KeepAlive);
        Assert.Equal(10u, packet.SessionExpiryInterval);
        Assert.Equal((ushort)20, packet.ReceiveMaximum);
        Assert.Null(packet.MaximumPacketSize);
        Assert.Equal(Connect5, PacketCodec.Write(packet, ProtocolVersion.Mqtt500));
    }

    [Fact]
    public void Write_Version31_UsesMQIsdpLevel3()
    {
        var bytes = PacketCodec.Write(new ConnectPacket { ClientId = "x" }, ProtocolVersion.Mqtt310);
        Assert.Equal(Concat(B(0x10, 15), S("MQIsdp"), B(3, 0), U16(0), S("x")), bytes);
    }

    [Fact]
    public void TryRead_50PasswordWithoutUserName_IsAccepted()
    {
        var body = Concat(S("MQTT"), B(5, 0x42), U16(0), B(0), S("c"), L(1, 2));
        Assert.True(ConnectPacket.TryRead(0, body, out var packet, out var error), error.ToString());
        Assert.Null(packet!.UserName);
        Assert.Equal(new byte[] { 1, 2 }, packet.Password);
    }

    [Fact]
    public void TryRead_EmptyClientId_IsAccepted()
    {
        Assert.True(ConnectPacket.TryRead(0, Concat(S("MQTT"), B(4, 2), U16(0), S("")), out var packet, out _));
        Assert.Equal("", packet!.ClientId);
    }

    [Theory]
    [InlineData("MQTT", 5, true, ProtocolVersion.Mqtt500)]
    [InlineData("MQTT", 4, true, ProtocolVersion.Mqtt311)]
    [InlineData("MQIsdp", 3, true, ProtocolVersion.Mqtt310)]
    [InlineData("MQTT", 6, false, default(ProtocolVersion))]
    [InlineData("mqtt", 4, false, default(ProtocolVersion))]
    public void TryPeekVersion_ProtocolNameAndLevel_ChoosesConnAckFormat(string name, int level, bool supported, ProtocolVersion expected)
    {
        var body = Concat(S(name), B(level, 0xFF));   // flags deliberately invalid: only the header is read
        Assert.Equal(supported, ConnectPacket.TryPeekVersion(body, out var version));
        if (supported)
        {
            Assert.Equal(expected, version);
        }
    }

    [Fact]
    public void Read_WillWithAllProperties_KeepsThem()
    {
        var packet = new ConnectPacket
        {
            ClientId = "c",
            Will = new WillMessage
            {
                Topic = "w/t",
                Payload = [1],
                QoS = QualityOfService.AtLeastOnce,
                Retain = true,
                WillDelayInterval = 5,
                PayloadFormatIndicator = 0,
                MessageExpiryInterval = 6,
                ContentType = "",
                ResponseTopic = "r",
                CorrelationData = [],
                UserProperties = [new UserProperty("a", "b")],
            },
        };
        var read = Assert.IsType<ConnectPacket>(PacketCodec.Read(PacketCodec.Write(packet, ProtocolVersion.Mqtt500), ProtocolVersion.Mqtt500));
        Assert.Equivalent(packet.Will, read.Will, strict: true);
    }

    [Fact]
    public void Write_311PasswordWithoutUserName_Throws()
    {
        var packet = new ConnectPacket { ClientId = "c", Password = [1] };
        Assert.Throws<ArgumentException>(() => PacketCodec.Write(packet, ProtocolVersion.Mqtt311));
    }
}
