using System.Buffers;
using System.Text;
using BenchmarkDotNet.Attributes;
using Bifro.MqttEdge.Codec;
using Bifro.MqttEdge.Codec.Framing;
using Bifro.MqttEdge.Codec.Packets;
using Bifro.MqttEdge.Codec.Properties;

namespace Bifro.Benchmarks.Codec;

/// <summary>Frame + decode of one PUBLISH, 3.1.1 and 5.0 (with typical properties), from one segment.</summary>
[MemoryDiagnoser]
public class PublishDecodeBenchmarks
{
    private byte[] _publish311 = [];
    private byte[] _publish5 = [];

    [Params(16, 1024)]
    public int PayloadSize { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var payload = new byte[PayloadSize];
        var topic = "sensors/building-7/floor-3/room-12/temperature"u8.ToArray();
        var userProperties = UserPropertyEncoding.Encode([new UserProperty("trace-id", "4bf92f3577b34da6"), new UserProperty("tenant", "acme")]);
        _publish311 = Write(new OutgoingPublish
        {
            Version = ProtocolVersion.Mqtt311,
            QoS = QualityOfService.AtLeastOnce,
            PacketId = 42,
            Topic = topic,
            Payload = payload,
        });
        _publish5 = Write(new OutgoingPublish
        {
            Version = ProtocolVersion.Mqtt500,
            QoS = QualityOfService.AtLeastOnce,
            PacketId = 42,
            Topic = topic,
            PayloadFormatIndicator = 1,
            MessageExpiryInterval = 3600,
            ContentType = Encoding.UTF8.GetBytes("application/json"),
            HasContentType = true,
            ResponseTopic = "replies/client-1"u8.ToArray(),
            CorrelationData = [1, 2, 3, 4, 5, 6, 7, 8],
            HasCorrelationData = true,
            UserProperties = userProperties,
            Payload = payload,
        });
    }

    [Benchmark(Baseline = true)]
    public int FrameAndDecode311() => FrameAndDecode(_publish311, ProtocolVersion.Mqtt311);

    [Benchmark]
    public int FrameAndDecode50() => FrameAndDecode(_publish5, ProtocolVersion.Mqtt500);

    private static int FrameAndDecode(byte[] bytes, ProtocolVersion version)
    {
        var buffer = new ReadOnlySequence<byte>(bytes);
        if (FrameReader.TryReadFrame(ref buffer, 1 << 20, out var frame) != FrameStatus.Complete)
        {
            return -1;
        }

        var body = FrameReader.GetBodySpan(frame, out _);
        return PublishPacket.TryRead(frame.Flags, body, version, out var packet, out _)
            ? packet.Topic.Length + packet.Payload.Length + packet.Properties.UserPropertiesLength
            : -1;
    }

    private static byte[] Write(in OutgoingPublish message)
    {
        var output = new ArrayBufferWriter<byte>();
        PublishPacket.Write(output, message);
        return output.WrittenSpan.ToArray();
    }
}
