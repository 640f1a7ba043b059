using System.Buffers;

namespace Bifro.MqttEdge.Codec.Packets;

/// <summary>Writing within the Maximum Packet Size the peer announced.</summary>
internal static class PacketSizeLimit
{
    /// <summary>
    /// Writes <paramref name="packet"/> whole if it fits in <paramref name="maximumPacketSize"/>; otherwise
    /// without Reason String and User Properties if that fits; otherwise writes nothing and returns false
    /// (the caller then drops the packet or closes). A generic over the packet type, so structs are not boxed.
    /// </summary>
    public static bool TryWrite<TPacket>(
        in TPacket packet, IBufferWriter<byte> output, ProtocolVersion version, uint maximumPacketSize)
        where TPacket : IControlPacket
    {
        if ((uint)packet.GetSize(version, includeDiagnostics: true) <= maximumPacketSize)
        {
            packet.Write(output, version, includeDiagnostics: true);
            return true;
        }

        // [MQTT-3.1.2-25] and the per-packet "The sender MUST NOT send this property if it would
        // increase the size of the packet beyond the Maximum Packet Size specified by the receiver".
        if ((uint)packet.GetSize(version, includeDiagnostics: false) <= maximumPacketSize)
        {
            packet.Write(output, version, includeDiagnostics: false);
            return true;
        }

        return false;
    }
}
