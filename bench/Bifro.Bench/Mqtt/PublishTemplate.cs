using System.Buffers.Binary;
using System.Text;

namespace Bifro.Bench.Mqtt;

/// <summary>
/// A complete PUBLISH packet for one topic, QoS and payload size, built once. Publishers copy it into their
/// send buffer and patch the packet id and payload, so no packet is encoded per message.
/// </summary>
internal sealed class PublishTemplate
{
    private readonly byte[] _packet;

    public PublishTemplate(MqttVersion version, string topic, int qos, int payloadSize)
    {
        var topicBytes = Encoding.UTF8.GetBytes(topic);
        var remaining =
            2 + topicBytes.Length // topic name
            + (qos > 0 ? 2 : 0) // packet identifier
            + (version == MqttVersion.V500 ? 1 : 0) // empty property set
            + payloadSize;
        _packet = new byte[1 + PacketWriter.VarIntLength(remaining) + remaining];
        var span = _packet.AsSpan();
        span[0] = (byte)(0x30 | (qos << 1));
        var o = 1 + PacketWriter.WriteVarInt(span[1..], remaining);
        BinaryPrimitives.WriteUInt16BigEndian(span[o..], (ushort)topicBytes.Length);
        topicBytes.CopyTo(span[(o + 2)..]);
        o += 2 + topicBytes.Length;
        PacketIdOffset = qos > 0 ? o : -1;
        o += qos > 0 ? 2 : 0;
        if (version == MqttVersion.V500)
        {
            span[o++] = 0;
        }

        PayloadOffset = o;
        span[o..].Fill((byte)'x');
        Qos = qos;
    }

    public int Length => _packet.Length;

    public int Qos { get; }

    /// <summary>Offset of the packet identifier, or -1 for QoS 0.</summary>
    public int PacketIdOffset { get; }

    public int PayloadOffset { get; }

    public ReadOnlySpan<byte> Packet => _packet;
}
