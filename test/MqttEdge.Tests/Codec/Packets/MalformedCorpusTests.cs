using System.Buffers;
using Bifro.MqttEdge.Codec;
using Bifro.MqttEdge.Codec.Framing;
using Bifro.MqttEdge.Codec.Packets;
using Xunit;
using static Bifro.MqttEdge.Tests.Codec.Support.Bytes;

namespace Bifro.MqttEdge.Tests.Codec.Packets;

/// <summary>
/// One bad packet (at least) per validation rule, with the exact reason code and statement the decoder
/// must report. Each row is framed and decoded through <see cref="PacketDecoder"/>.
/// </summary>
public sealed class MalformedCorpusTests
{
    private const ProtocolVersion V31 = ProtocolVersion.Mqtt310;
    private const ProtocolVersion V311 = ProtocolVersion.Mqtt311;
    private const ProtocolVersion V5 = ProtocolVersion.Mqtt500;
    private const ReasonCode Malformed = ReasonCode.MalformedPacket;
    private const ReasonCode Protocol = ReasonCode.ProtocolError;
    private const ReasonCode TopicInvalid = ReasonCode.TopicNameInvalid;
    private const ReasonCode Unsupported = ReasonCode.UnsupportedProtocolVersion;

    private static readonly byte[] Mqtt = S("MQTT");
    private static readonly byte[] NoProps = B(0);

    /// <summary>A 5.0 CONNECT: flags, properties, then payload parts.</summary>
    private static byte[] Connect5(int flags, byte[] properties, params byte[][] payload) =>
        Packet(0x10, Concat(Mqtt, B(5, flags), U16(60), properties), Concat(payload));

    private static byte[] Connect311(int flags, params byte[][] payload) =>
        Packet(0x10, Concat(Mqtt, B(4, flags), U16(60)), Concat(payload));

    public static TheoryData<string, ProtocolVersion?, byte[], ReasonCode, string> Corpus => new()
    {
        // Fixed header [MQTT-2.1.3-1], packet types (§2.1.2), first packet [MQTT-3.1.0-1].
        { "packet type 0", V311, Packet(0x00), Malformed, "§2.1.2" },
        { "AUTH in 3.1.1", V311, Packet(0xF0), Malformed, "§2.1.2" },
        { "AUTH in 3.1", V31, Packet(0xF0), Malformed, "§2.1.2" },
        { "CONNECT flags 1", null, Packet(0x11, Mqtt, B(4, 2), U16(0), S("c")), Malformed, "MQTT-2.1.3-1" },
        { "PUBACK flags 2", V311, Packet(0x42, U16(1)), Malformed, "MQTT-2.1.3-1" },
        { "PUBREL flags 0", V311, Packet(0x60, U16(1)), Malformed, "MQTT-2.1.3-1" },
        { "PUBREL flags DUP in 3.1.1", V311, Packet(0x6A, U16(1)), Malformed, "MQTT-2.1.3-1" },
        { "SUBSCRIBE flags 0", V311, Packet(0x80, U16(1), S("a"), B(0)), Malformed, "MQTT-2.1.3-1" },
        { "UNSUBSCRIBE flags 0", V5, Packet(0xA0, U16(1), NoProps, S("a")), Malformed, "MQTT-2.1.3-1" },
        { "SUBACK flags 2", V311, Packet(0x92, U16(1), B(0)), Malformed, "MQTT-2.1.3-1" },
        { "PINGREQ flags 1", V311, Packet(0xC1), Malformed, "MQTT-2.1.3-1" },
        { "DISCONNECT flags 8", V5, Packet(0xE8), Malformed, "MQTT-2.1.3-1" },
        { "first packet PUBLISH", null, Packet(0x30, S("a")), Protocol, "MQTT-3.1.0-1" },

        // CONNECT
        { "CONNECT unknown protocol name", null, Packet(0x10, S("HTTP"), B(4, 2), U16(0), S("c")), Unsupported, "MQTT-3.1.2-1" },
        { "CONNECT MQTT level 3", null, Packet(0x10, Mqtt, B(3, 2), U16(0), S("c")), Unsupported, "MQTT-3.1.2-2" },
        { "CONNECT MQIsdp level 4", null, Packet(0x10, S("MQIsdp"), B(4, 2), U16(0), S("c")), Unsupported, "MQTT-3.1.2-2" },
        { "CONNECT MQTT level 6", null, Packet(0x10, Mqtt, B(6, 2), U16(0), S("c")), Unsupported, "MQTT-3.1.2-2" },
        { "CONNECT truncated protocol name", null, Packet(0x10, B(0, 4, 0x4D, 0x51)), Malformed, "§2.1.4" },
        { "CONNECT reserved flag", null, Connect311(0x03, S("c")), Malformed, "MQTT-3.1.2-3" },
        { "CONNECT will QoS 3", null, Connect311(0x1E, S("c"), S("w"), L(1)), Malformed, "MQTT-3.1.2-12" },
        { "CONNECT will QoS without will", null, Connect311(0x0A, S("c")), Malformed, "MQTT-3.1.2-11" },
        { "CONNECT will retain without will", null, Connect311(0x22, S("c")), Malformed, "MQTT-3.1.2-13" },
        { "CONNECT 3.1.1 password without user", null, Connect311(0x42, S("c"), L(1)), Malformed, "MQTT-3.1.2-22" },
        { "CONNECT 3.1 password without user", null, Packet(0x10, S("MQIsdp"), B(3, 0x42), U16(0), S("c"), L(1)), Malformed, "MQTT-3.1.2-22" },
        { "CONNECT client id ill-formed UTF-8", null, Connect311(0x02, L(0x61, 0xC3)), Malformed, "MQTT-1.5.4-1" },
        { "CONNECT client id U+0000", null, Connect311(0x02, L(0x61, 0x00)), Malformed, "MQTT-1.5.4-2" },
        { "CONNECT client id surrogate", null, Connect311(0x02, L(0xED, 0xA0, 0x80)), Malformed, "MQTT-1.5.4-1" },
        { "CONNECT user name ill-formed", null, Connect311(0x82, S("c"), L(0xFF)), Malformed, "MQTT-1.5.4-1" },
        { "CONNECT will topic wildcard", null, Connect311(0x06, S("c"), S("a/#"), L(1)), TopicInvalid, "MQTT-3.3.2-2" },
        { "CONNECT will topic empty", null, Connect311(0x06, S("c"), S(""), L(1)), TopicInvalid, "MQTT-4.7.3-1" },
        { "CONNECT trailing bytes", null, Connect311(0x02, S("c"), B(0)), Malformed, "§2.1.4" },
        { "CONNECT missing will payload", null, Connect311(0x06, S("c"), S("w")), Malformed, "§2.1.4" },
        { "CONNECT 5.0 auth data without method", null, Connect5(0x02, Props(B(0x16), L(1)), S("c")), Protocol, "§3.1.2.11.10" },
        { "CONNECT 5.0 topic alias property", null, Connect5(0x02, Props(B(0x23), U16(1)), S("c")), Malformed, "§2.2.2.2" },
        { "CONNECT 5.0 unknown property", null, Connect5(0x02, Props(B(0x7F, 0)), S("c")), Malformed, "§2.2.2.2" },
        { "CONNECT 5.0 session expiry twice", null, Connect5(0x02, Props(B(0x11), U32(1), B(0x11), U32(1)), S("c")), Protocol, "§3.1.2.11.2" },
        { "CONNECT 5.0 receive maximum 0", null, Connect5(0x02, Props(B(0x21), U16(0)), S("c")), Protocol, "§3.1.2.11.3" },
        { "CONNECT 5.0 maximum packet size 0", null, Connect5(0x02, Props(B(0x27), U32(0)), S("c")), Protocol, "§3.1.2.11.4" },
        { "CONNECT 5.0 request problem information 2", null, Connect5(0x02, Props(B(0x17, 2)), S("c")), Protocol, "§3.1.2.11.7" },
        { "CONNECT 5.0 request response information 2", null, Connect5(0x02, Props(B(0x19, 2)), S("c")), Protocol, "§3.1.2.11.6" },
        { "CONNECT 5.0 property length past end", null, Connect5(0x02, B(10, 0x11), S("c")), Malformed, "§2.1.4" },
        { "CONNECT 5.0 will payload format 2", null, Connect5(0x06, NoProps, S("c"), Props(B(0x01, 2)), S("w"), L(1)), Protocol, "§3.3.2.3.2" },
        { "CONNECT 5.0 will response topic wildcard", null, Connect5(0x06, NoProps, S("c"), Props(B(0x08), S("r/+")), S("w"), L(1)), Protocol, "MQTT-3.3.2-14" },
        { "CONNECT 5.0 will property not allowed", null, Connect5(0x06, NoProps, S("c"), Props(B(0x11), U32(1)), S("w"), L(1)), Malformed, "§2.2.2.2" },

        // CONNACK
        { "CONNACK 3.1.1 return code 6", V311, Packet(0x20, B(0, 6)), Malformed, "§3.2.2.3" },
        { "CONNACK reserved acknowledge flags", V311, Packet(0x20, B(2, 0)), Malformed, "MQTT-3.2.2-1" },
        { "CONNACK session present with failure", V5, Packet(0x20, B(1, 0x87), NoProps), Protocol, "MQTT-3.2.2-6" },
        { "CONNACK 5.0 reason code 0x01", V5, Packet(0x20, B(0, 0x01), NoProps), Malformed, "MQTT-3.2.2-8" },
        { "CONNACK 5.0 maximum QoS 2", V5, Packet(0x20, B(0, 0), Props(B(0x24, 2))), Protocol, "§3.2.2.3.4" },
        { "CONNACK 5.0 retain available 2", V5, Packet(0x20, B(0, 0), Props(B(0x25, 2))), Protocol, "§3.2.2.3.5" },
        { "CONNACK 5.0 auth data without method", V5, Packet(0x20, B(0, 0), Props(B(0x16), L(1))), Protocol, "§3.1.2.11.10" },
        { "CONNACK 3.1.1 length 3", V311, Packet(0x20, B(0, 0, 0)), Malformed, "§2.1.4" },

        // PUBLISH
        { "PUBLISH QoS 3", V311, Packet(0x36, S("a"), U16(1)), Malformed, "MQTT-3.3.1-4" },
        { "PUBLISH DUP with QoS 0", V311, Packet(0x38, S("a")), Malformed, "MQTT-3.3.1-2" },
        { "PUBLISH QoS 1 packet id 0", V311, Packet(0x32, S("a"), U16(0)), Protocol, "MQTT-2.2.1-3" },
        { "PUBLISH topic with +", V311, Packet(0x30, S("a/+")), TopicInvalid, "MQTT-3.3.2-2" },
        { "PUBLISH topic with #", V5, Packet(0x30, S("#"), NoProps), TopicInvalid, "MQTT-3.3.2-2" },
        { "PUBLISH empty topic 3.1.1", V311, Packet(0x30, S("")), Protocol, "MQTT-4.7.3-1" },
        { "PUBLISH empty topic 5.0 without alias", V5, Packet(0x30, S(""), NoProps), Protocol, "MQTT-4.7.3-1" },
        { "PUBLISH topic ill-formed UTF-8", V311, Packet(0x30, L(0xC0, 0xAF)), Malformed, "MQTT-1.5.4-1" },
        { "PUBLISH topic U+0000", V5, Packet(0x30, L(0x61, 0x00), NoProps), Malformed, "MQTT-1.5.4-2" },
        { "PUBLISH topic length past end", V311, Packet(0x30, B(0, 9, 0x61)), Malformed, "§2.1.4" },
        { "PUBLISH QoS 1 missing packet id", V311, Packet(0x32, S("a")), Malformed, "§2.1.4" },
        { "PUBLISH topic alias 0", V5, Packet(0x30, S("a"), Props(B(0x23), U16(0))), Protocol, "MQTT-3.3.2-8" },
        { "PUBLISH topic alias twice", V5, Packet(0x30, S("a"), Props(B(0x23), U16(1), B(0x23), U16(2))), Protocol, "MQTT-3.3.2-8" },
        { "PUBLISH subscription identifier 0", V5, Packet(0x30, S("a"), Props(B(0x0B, 0))), Protocol, "§3.8.2.1.2" },
        { "PUBLISH subscription identifier non-minimal", V5, Packet(0x30, S("a"), Props(B(0x0B, 0x81, 0x00))), Malformed, "MQTT-1.5.5-1" },
        { "PUBLISH payload format indicator 2", V5, Packet(0x30, S("a"), Props(B(0x01, 2))), Protocol, "§3.3.2.3.2" },
        { "PUBLISH response topic wildcard", V5, Packet(0x30, S("a"), Props(B(0x08), S("r/#"))), Protocol, "MQTT-3.3.2-14" },
        { "PUBLISH session expiry property", V5, Packet(0x30, S("a"), Props(B(0x11), U32(1))), Malformed, "§2.2.2.2" },
        { "PUBLISH content type ill-formed", V5, Packet(0x30, S("a"), Props(B(0x03), L(0xFF))), Malformed, "MQTT-1.5.4-1" },
        { "PUBLISH property length past end", V5, Packet(0x30, S("a"), B(5, 0x01)), Malformed, "§2.1.4" },
        { "PUBLISH 5.0 missing property length", V5, Packet(0x30, S("a")), Malformed, "§2.1.4" },

        // PUBACK, PUBREC, PUBREL, PUBCOMP
        { "PUBACK 3.1.1 remaining length 3", V311, Packet(0x40, U16(1), B(0)), Malformed, "§2.1.4" },
        { "PUBACK remaining length 1", V5, Packet(0x40, B(1)), Malformed, "§2.1.4" },
        { "PUBACK packet id 0", V311, Packet(0x40, U16(0)), Protocol, "MQTT-2.2.1-3" },
        { "PUBACK 5.0 reason 0x05", V5, Packet(0x40, U16(1), B(0x05)), Malformed, "MQTT-3.4.2-1" },
        { "PUBREC 5.0 reason 0x92", V5, Packet(0x50, U16(1), B(0x92)), Malformed, "MQTT-3.5.2-1" },
        { "PUBREL 5.0 reason 0x10", V5, Packet(0x62, U16(1), B(0x10)), Malformed, "MQTT-3.6.2-1" },
        { "PUBCOMP 5.0 reason 0x80", V5, Packet(0x70, U16(1), B(0x80)), Malformed, "MQTT-3.7.2-1" },
        { "PUBACK 5.0 topic alias property", V5, Packet(0x40, U16(1), B(0), Props(B(0x23), U16(1))), Malformed, "§2.2.2.2" },
        { "PUBACK 5.0 reason string twice", V5, Packet(0x40, U16(1), B(0), Props(B(0x1F), S("a"), B(0x1F), S("b"))), Protocol, "§3.2.2.3.9" },
        { "PUBACK 5.0 bytes after properties", V5, Packet(0x40, U16(1), B(0), Props(), B(1)), Malformed, "§2.1.4" },

        // SUBSCRIBE
        { "SUBSCRIBE no filter 3.1.1", V311, Packet(0x82, U16(1)), Protocol, "MQTT-3.8.3-2" },
        { "SUBSCRIBE no filter 5.0", V5, Packet(0x82, U16(1), NoProps), Protocol, "MQTT-3.8.3-2" },
        { "SUBSCRIBE packet id 0", V311, Packet(0x82, U16(0), S("a"), B(0)), Protocol, "MQTT-2.2.1-3" },
        { "SUBSCRIBE 3.1.1 reserved option bits", V311, Packet(0x82, U16(1), S("a"), B(0x04)), Malformed, "MQTT-3.8.3-4" },
        { "SUBSCRIBE 3.1.1 QoS 3", V311, Packet(0x82, U16(1), S("a"), B(3)), Malformed, "MQTT-3.8.3-4" },
        { "SUBSCRIBE 5.0 reserved option bits", V5, Packet(0x82, U16(1), NoProps, S("a"), B(0x40)), Malformed, "MQTT-3.8.3-5" },
        { "SUBSCRIBE 5.0 QoS 3", V5, Packet(0x82, U16(1), NoProps, S("a"), B(3)), Protocol, "§3.8.3.1" },
        { "SUBSCRIBE 5.0 retain handling 3", V5, Packet(0x82, U16(1), NoProps, S("a"), B(0x30)), Protocol, "§3.8.3.1" },
        { "SUBSCRIBE 5.0 no local on shared", V5, Packet(0x82, U16(1), NoProps, S("$share/g/a"), B(0x04)), Protocol, "MQTT-3.8.3-4" },
        { "SUBSCRIBE 5.0 subscription identifier 0", V5, Packet(0x82, U16(1), Props(B(0x0B, 0)), S("a"), B(0)), Protocol, "§3.8.2.1.2" },
        { "SUBSCRIBE 5.0 two subscription identifiers", V5, Packet(0x82, U16(1), Props(B(0x0B, 1, 0x0B, 2)), S("a"), B(0)), Protocol, "§3.8.2.1.2" },
        { "SUBSCRIBE 5.0 reason string property", V5, Packet(0x82, U16(1), Props(B(0x1F), S("r")), S("a"), B(0)), Malformed, "§2.2.2.2" },
        { "SUBSCRIBE filter ill-formed UTF-8", V311, Packet(0x82, U16(1), L(0xED, 0xBF, 0xBF), B(0)), Malformed, "MQTT-1.5.4-1" },
        { "SUBSCRIBE missing options byte", V311, Packet(0x82, U16(1), S("a")), Malformed, "§2.1.4" },

        // SUBACK
        { "SUBACK 3.1 failure code", V31, Packet(0x90, U16(1), B(0x80)), Malformed, "MQTT-3.9.3-2" },
        { "SUBACK 3.1.1 reason 0x87", V311, Packet(0x90, U16(1), B(0x87)), Malformed, "MQTT-3.9.3-2" },
        { "SUBACK 5.0 reason 0x03", V5, Packet(0x90, U16(1), NoProps, B(0x03)), Malformed, "MQTT-3.9.3-2" },
        { "SUBACK no reason codes", V311, Packet(0x90, U16(1)), Protocol, "MQTT-3.9.3-2" },

        // UNSUBSCRIBE, UNSUBACK
        { "UNSUBSCRIBE no filter", V311, Packet(0xA2, U16(1)), Protocol, "MQTT-3.10.3-2" },
        { "UNSUBSCRIBE packet id 0", V5, Packet(0xA2, U16(0), NoProps, S("a")), Protocol, "MQTT-2.2.1-3" },
        { "UNSUBSCRIBE filter U+0000", V311, Packet(0xA2, U16(1), L(0)), Malformed, "MQTT-1.5.4-2" },
        { "UNSUBSCRIBE 5.0 subscription identifier", V5, Packet(0xA2, U16(1), Props(B(0x0B, 1)), S("a")), Malformed, "§2.2.2.2" },
        { "UNSUBACK 3.1.1 with payload", V311, Packet(0xB0, U16(1), B(0)), Malformed, "§2.1.4" },
        { "UNSUBACK 5.0 reason 0x12", V5, Packet(0xB0, U16(1), NoProps, B(0x12)), Malformed, "MQTT-3.11.3-2" },
        { "UNSUBACK 5.0 no reason codes", V5, Packet(0xB0, U16(1), NoProps), Protocol, "MQTT-3.11.3-2" },

        // PINGREQ, PINGRESP, DISCONNECT, AUTH
        { "PINGREQ with body", V311, Packet(0xC0, B(0)), Malformed, "§3.12" },
        { "PINGRESP with body", V5, Packet(0xD0, B(0)), Malformed, "§3.13" },
        { "DISCONNECT 3.1.1 with body", V311, Packet(0xE0, B(0)), Malformed, "§3.14" },
        { "DISCONNECT 5.0 reason 0x05", V5, Packet(0xE0, B(0x05)), Malformed, "MQTT-3.14.2-1" },
        { "DISCONNECT 5.0 topic alias property", V5, Packet(0xE0, B(0), Props(B(0x23), U16(1))), Malformed, "§2.2.2.2" },
        { "DISCONNECT 5.0 server reference twice", V5, Packet(0xE0, B(0x9C), Props(B(0x1C), S("a"), B(0x1C), S("b"))), Protocol, "§3.2.2.3.16" },
        { "AUTH 5.0 reason 0x01", V5, Packet(0xF0, B(0x01), NoProps), Malformed, "MQTT-3.15.2-1" },
        { "AUTH 5.0 flags 1", V5, Packet(0xF1), Malformed, "MQTT-2.1.3-1" },
        { "AUTH 5.0 data without method", V5, Packet(0xF0, B(0x18), Props(B(0x16), L(1))), Protocol, "§3.15.2.2.2" },
        { "AUTH 5.0 method twice", V5, Packet(0xF0, B(0x18), Props(B(0x15), S("a"), B(0x15), S("a"))), Protocol, "§3.1.2.11.9" },
    };

    [Theory]
    [MemberData(nameof(Corpus))]
    public void Decode_BadPacket_ReportsExactReasonAndStatement(
        string rule, ProtocolVersion? version, byte[] packet, ReasonCode expectedReason, string expectedStatement)
    {
        var buffer = new ReadOnlySequence<byte>(packet);
        Assert.Equal(FrameStatus.Complete, FrameReader.TryReadFrame(ref buffer, int.MaxValue, out var frame));

        var ok = PacketDecoder.TryDecode(frame, version, out var error);

        Assert.False(ok, rule);
        Assert.Equal(expectedReason, error.ReasonCode);
        Assert.Equal(expectedStatement, error.Statement);
        Assert.False(string.IsNullOrEmpty(error.Message));
    }
}
