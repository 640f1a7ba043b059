using Bifro.MqttEdge.Codec.Framing;

namespace Bifro.MqttEdge.Codec.Packets;

/// <summary>
/// Decodes any frame and discards the result: one entry point for tests, the fuzzer and diagnostics.
/// A connection dispatches on <see cref="Frame.Type"/> itself and calls each packet's <c>TryRead</c>,
/// as this method does.
/// </summary>
internal static class PacketDecoder
{
    /// <summary>
    /// Decodes <paramref name="frame"/> as sent on a connection of <paramref name="version"/>, or as the
    /// first packet of a connection when <paramref name="version"/> is null. A multi-segment body is
    /// copied once to a pooled array and returned.
    /// </summary>
    public static bool TryDecode(in Frame frame, ProtocolVersion? version, out DecodeError error)
    {
        var body = FrameReader.GetBodySpan(frame, out var rented);
        try
        {
            return TryDecode(frame.Type, frame.Flags, body, version, out error);
        }
        finally
        {
            if (rented is not null)
            {
                System.Buffers.ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    /// <summary>
    /// Decodes a packet body. With <paramref name="version"/> null only CONNECT is accepted
    /// ([MQTT-3.1.0-1], ProtocolError); a CONNECT is decoded whatever <paramref name="version"/> says,
    /// since refusing a second CONNECT [MQTT-3.1.0-2] is the connection's business.
    /// </summary>
    public static bool TryDecode(PacketType type, byte flags, ReadOnlySpan<byte> body, ProtocolVersion? version, out DecodeError error)
    {
        if (type == PacketType.Connect)
        {
            return ConnectPacket.TryRead(flags, body, out _, out error);
        }

        if (version is not { } v)
        {
            // [MQTT-3.1.0-1] After a Network Connection is established by a Client to a Server, the first
            // packet sent from the Client to the Server MUST be a CONNECT packet.
            error = type == PacketType.Reserved
                ? DecodeError.Malformed("§2.1.2", "packet type 0 is reserved")
                : DecodeError.ProtocolError("MQTT-3.1.0-1", "first packet is not CONNECT");
            return false;
        }

        switch (type)
        {
            case PacketType.ConnAck:
                return ConnAckPacket.TryRead(flags, body, v, out _, out error);
            case PacketType.Publish:
                return PublishPacket.TryRead(flags, body, v, out _, out error);
            case PacketType.PubAck:
                return PubAckPacket.TryRead(flags, body, v, out _, out error);
            case PacketType.PubRec:
                return PubRecPacket.TryRead(flags, body, v, out _, out error);
            case PacketType.PubRel:
                return PubRelPacket.TryRead(flags, body, v, out _, out error);
            case PacketType.PubComp:
                return PubCompPacket.TryRead(flags, body, v, out _, out error);
            case PacketType.Subscribe:
                return SubscribePacket.TryRead(flags, body, v, out _, out error);
            case PacketType.SubAck:
                return SubAckPacket.TryRead(flags, body, v, out _, out error);
            case PacketType.Unsubscribe:
                return UnsubscribePacket.TryRead(flags, body, v, out _, out error);
            case PacketType.UnsubAck:
                return UnsubAckPacket.TryRead(flags, body, v, out _, out error);
            case PacketType.PingReq:
                return PingReqPacket.TryRead(flags, body, v, out error);
            case PacketType.PingResp:
                return PingRespPacket.TryRead(flags, body, v, out error);
            case PacketType.Disconnect:
                return DisconnectPacket.TryRead(flags, body, v, out _, out error);
            case PacketType.Auth:
                return AuthPacket.TryRead(flags, body, v, out _, out error);
            default:
                // Section 2.1.2: packet type 0 is reserved (forbidden).
                error = DecodeError.Malformed("§2.1.2", "packet type 0 is reserved");
                return false;
        }
    }
}
