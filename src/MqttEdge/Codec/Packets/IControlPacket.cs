using System.Buffers;

namespace Bifro.MqttEdge.Codec.Packets;

/// <summary>
/// A control packet that can be written. "Diagnostics" are the Reason String and User Properties,
/// the properties a sender drops rather than exceed the peer's Maximum Packet Size
/// (e.g. [MQTT-3.1.2-25], [MQTT-3.4.2-2], [MQTT-3.4.2-3]); without them a packet still means the same.
/// </summary>
internal interface IControlPacket
{
    /// <summary>Exact size on the wire, fixed header included.</summary>
    int GetSize(ProtocolVersion version, bool includeDiagnostics);

    /// <summary>Computes the size, takes one span of that size from <paramref name="output"/>, writes, advances.</summary>
    void Write(IBufferWriter<byte> output, ProtocolVersion version, bool includeDiagnostics);
}
