using System.Buffers;

namespace Bifro.MqttEdge.Codec.Packets;

/// <summary>PINGRESP (section 3.13), the server's answer to PINGREQ: a fixed header with flags 0 and remaining length 0, in every version.</summary>
internal static class PingRespPacket
{
    /// <summary>
    /// The whole packet. A constant like a <c>"..."u8</c> literal (static data, no allocation); written
    /// as a byte list because 0xD0 alone is not valid UTF-8, which a u8 literal must be.
    /// </summary>
    public static ReadOnlySpan<byte> Bytes => [0xD0, 0x00];

    /// <summary>Validates a PINGRESP: flags 0 [MQTT-2.1.3-1] and no body (section 3.13).</summary>
    public static bool TryRead(byte flags, ReadOnlySpan<byte> body, ProtocolVersion version, out DecodeError error)
    {
        if (!FixedHeaderFlags.TryValidate(PacketType.PingResp, flags, version, out error))
        {
            return false;
        }

        if (!body.IsEmpty)
        {
            error = DecodeError.Malformed("§3.13", "PINGRESP has a remaining length other than 0");
            return false;
        }

        return true;
    }

    public static void Write(IBufferWriter<byte> output)
    {
        Bytes.CopyTo(output.GetSpan(Bytes.Length));
        output.Advance(Bytes.Length);
    }
}
