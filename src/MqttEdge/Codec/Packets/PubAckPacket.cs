using System.Buffers;
using Bifro.MqttEdge.Codec.Properties;

namespace Bifro.MqttEdge.Codec.Packets;

/// <summary>
/// PUBACK (section 3.4), the response to a QoS 1 PUBLISH. A small struct: reading and writing allocate nothing unless a
/// Reason String or User Properties are present. Wire format: <see cref="PublishAckCodec"/>.
/// In 3.1 and 3.1.1 only the packet identifier exists: <see cref="ReasonCode"/> reads as Success
/// and is not written.
/// </summary>
internal readonly struct PubAckPacket : IControlPacket
{
    public PubAckPacket(ushort packetId, ReasonCode reasonCode = ReasonCode.Success)
    {
        PacketId = packetId;
        ReasonCode = reasonCode;
    }

    public ushort PacketId { get; init; }

    /// <summary>5.0 reason code; Success in 3.x.</summary>
    public ReasonCode ReasonCode { get; init; }

    /// <summary>Reason String (0x1F), null if absent. 5.0 only.</summary>
    public string? ReasonString { get; init; }

    /// <summary>User Properties (0x26), null if none. 5.0 only.</summary>
    public List<UserProperty>? UserProperties { get; init; }

    /// <summary>Decodes a PUBACK body; errors are MalformedPacket except packet identifier 0 (ProtocolError).</summary>
    public static bool TryRead(byte flags, ReadOnlySpan<byte> body, ProtocolVersion version, out PubAckPacket packet, out DecodeError error)
    {
        if (!PublishAckCodec.TryRead(PacketType.PubAck, flags, body, version, out var packetId, out var reasonCode, out var reasonString, out var userProperties, out error))
        {
            packet = default;
            return false;
        }

        packet = new PubAckPacket(packetId, reasonCode) { ReasonString = reasonString, UserProperties = userProperties };
        return true;
    }

    public int GetSize(ProtocolVersion version, bool includeDiagnostics = true) =>
        PublishAckCodec.GetSize(version, ReasonCode, ReasonString, UserProperties, includeDiagnostics);

    public void Write(IBufferWriter<byte> output, ProtocolVersion version, bool includeDiagnostics = true) =>
        PublishAckCodec.Write(output, PacketType.PubAck, version, PacketId, ReasonCode, ReasonString, UserProperties, includeDiagnostics);

    /// <summary>Writes within the peer's Maximum Packet Size, dropping Reason String and User Properties if needed.</summary>
    public bool TryWrite(IBufferWriter<byte> output, ProtocolVersion version, uint maximumPacketSize) =>
        PacketSizeLimit.TryWrite(this, output, version, maximumPacketSize);
}
