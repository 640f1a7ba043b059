using System.Buffers;
using BenchmarkDotNet.Attributes;
using Bifro.MqttEdge.Codec;
using Bifro.MqttEdge.Codec.Packets;
using Bifro.MqttEdge.Codec.Properties;

namespace Bifro.Benchmarks.Codec;

/// <summary>Writing one PUBLISH to a subscriber into a reused buffer writer: size, one GetSpan, write, Advance.</summary>
[MemoryDiagnoser]
public class PublishWriteBenchmarks
{
    private readonly ArrayBufferWriter<byte> _output = new(64 * 1024);
    private byte[] _payload = [];
    private byte[] _userProperties = [];
    private readonly byte[] _topic = "sensors/building-7/floor-3/room-12/temperature"u8.ToArray();
    private readonly int[] _subscriptionIdentifiers = [17];

    [Params(16, 1024)]
    public int PayloadSize { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _payload = new byte[PayloadSize];
        _userProperties = UserPropertyEncoding.Encode([new UserProperty("trace-id", "4bf92f3577b34da6")]);
    }

    [Benchmark(Baseline = true)]
    public int Write311()
    {
        _output.ResetWrittenCount();
        return PublishPacket.Write(_output, new OutgoingPublish
        {
            Version = ProtocolVersion.Mqtt311,
            QoS = QualityOfService.AtLeastOnce,
            PacketId = 42,
            Topic = _topic,
            Payload = _payload,
        });
    }

    [Benchmark]
    public int Write50WithProperties()
    {
        _output.ResetWrittenCount();
        return PublishPacket.Write(_output, new OutgoingPublish
        {
            Version = ProtocolVersion.Mqtt500,
            QoS = QualityOfService.AtLeastOnce,
            PacketId = 42,
            Topic = _topic,
            PayloadFormatIndicator = 1,
            MessageExpiryInterval = 3600,
            UserProperties = _userProperties,
            SubscriptionIdentifiers = _subscriptionIdentifiers,
            Payload = _payload,
        });
    }
}
