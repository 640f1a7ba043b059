using System.Buffers;
using Bifro.MqttEdge.Codec;
using Bifro.MqttEdge.Codec.Framing;
using Bifro.MqttEdge.Codec.Packets;
using Xunit;

namespace Bifro.MqttEdge.Tests.Codec.Support;

/// <summary>Writes and reads test packets (as objects) through the codec's real entry points.</summary>
internal static class PacketCodec
{
    /// <summary>Marker objects for the packets without content.</summary>
    public static readonly object PingReq = new Marker("PINGREQ");

    public static readonly object PingResp = new Marker("PINGRESP");

    public static byte[] Write(object packet, ProtocolVersion version)
    {
        var output = new ArrayBufferWriter<byte>();
        switch (packet)
        {
            case PublishMessage publish:
                var written = publish.Write(output, version);
                Assert.Equal(publish.GetSize(version), written);
                break;
            case IControlPacket control:
                control.Write(output, version, includeDiagnostics: true);
                Assert.Equal(control.GetSize(version, includeDiagnostics: true), output.WrittenCount);
                break;
            case Marker when ReferenceEquals(packet, PingReq):
                PingReqPacket.Write(output);
                break;
            case Marker:
                PingRespPacket.Write(output);
                break;
            default:
                throw new ArgumentException($"Unknown test packet {packet.GetType()}");
        }

        return output.WrittenSpan.ToArray();
    }

    /// <summary>Frames <paramref name="bytes"/> (exactly one packet) and decodes it; asserts success.</summary>
    public static object Read(byte[] bytes, ProtocolVersion version)
    {
        var sequence = new ReadOnlySequence<byte>(bytes);
        Assert.Equal(FrameStatus.Complete, FrameReader.TryReadFrame(ref sequence, int.MaxValue, out var frame));
        Assert.True(sequence.IsEmpty);
        var result = Read(frame, version, out var error);
        Assert.True(result is not null, error.ToString());
        return result!;
    }

    /// <summary>Decodes a frame to a test object, or null with the error.</summary>
    public static object? Read(in Frame frame, ProtocolVersion version, out DecodeError error)
    {
        using var body = FrameReader.GetBody(frame);
        var span = body.Span;
        var flags = frame.Flags;
        switch (frame.Type)
        {
            case PacketType.Connect:
                return ConnectPacket.TryRead(flags, span, out var connect, out error) ? connect : null;
            case PacketType.ConnAck:
                return ConnAckPacket.TryRead(flags, span, version, out var connAck, out error) ? connAck : null;
            case PacketType.Publish:
                return PublishPacket.TryRead(flags, span, version, out var publish, out error) ? PublishMessage.From(publish) : null;
            case PacketType.PubAck:
                return PubAckPacket.TryRead(flags, span, version, out var pubAck, out error) ? pubAck : null;
            case PacketType.PubRec:
                return PubRecPacket.TryRead(flags, span, version, out var pubRec, out error) ? pubRec : null;
            case PacketType.PubRel:
                return PubRelPacket.TryRead(flags, span, version, out var pubRel, out error) ? pubRel : null;
            case PacketType.PubComp:
                return PubCompPacket.TryRead(flags, span, version, out var pubComp, out error) ? pubComp : null;
            case PacketType.Subscribe:
                return SubscribePacket.TryRead(flags, span, version, out var subscribe, out error) ? subscribe : null;
            case PacketType.SubAck:
                return SubAckPacket.TryRead(flags, span, version, out var subAck, out error) ? subAck : null;
            case PacketType.Unsubscribe:
                return UnsubscribePacket.TryRead(flags, span, version, out var unsubscribe, out error) ? unsubscribe : null;
            case PacketType.UnsubAck:
                return UnsubAckPacket.TryRead(flags, span, version, out var unsubAck, out error) ? unsubAck : null;
            case PacketType.PingReq:
                return PingReqPacket.TryRead(flags, span, version, out error) ? PingReq : null;
            case PacketType.PingResp:
                return PingRespPacket.TryRead(flags, span, version, out error) ? PingResp : null;
            case PacketType.Disconnect:
                return DisconnectPacket.TryRead(flags, span, version, out var disconnect, out error) ? disconnect : null;
            case PacketType.Auth:
                return AuthPacket.TryRead(flags, span, version, out var auth, out error) ? auth : null;
            default:
                return PacketDecoder.TryDecode(frame.Type, flags, span, version, out error) ? new object() : null;
        }
    }

    private sealed record Marker(string Name);
}
