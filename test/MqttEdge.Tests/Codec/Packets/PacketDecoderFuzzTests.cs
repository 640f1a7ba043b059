using System.Buffers;
using System.Buffers.Binary;
using System.Diagnostics;
using Bifro.MqttEdge.Codec;
using Bifro.MqttEdge.Codec.Framing;
using Bifro.MqttEdge.Codec.Packets;
using Bifro.MqttEdge.Tests.Codec.Support;
using Xunit;
using Xunit.Abstractions;

namespace Bifro.MqttEdge.Tests.Codec.Packets;

/// <summary>
/// Robustness: random and mutated packets thrown at the frame reader and the decoder for every version.
/// Nothing but a typed result may come out: no exception of any kind. A fixed seed makes a failure
/// reproducible; the failing input is printed in hex.
/// </summary>
public sealed class PacketDecoderFuzzTests
{
    private const int Seed = 0x5EED_B1F;
    private const int Iterations = 120_000;

    private static readonly ProtocolVersion?[] DecodeVersions = [null, ProtocolVersion.Mqtt310, ProtocolVersion.Mqtt311, ProtocolVersion.Mqtt500];

    private static readonly ReasonCode[] DecoderReasons =
        [ReasonCode.MalformedPacket, ReasonCode.ProtocolError, ReasonCode.TopicNameInvalid, ReasonCode.UnsupportedProtocolVersion];

    private readonly ITestOutputHelper _output;

    public PacketDecoderFuzzTests(ITestOutputHelper output)
    {
        _output = output;
    }

    [Fact]
    public void Decode_RandomAndMutatedPackets_OnlyTypedResults()
    {
        var random = new Random(Seed);
        var corpus = BuildCorpus(random);
        var stopwatch = Stopwatch.StartNew();
        var statuses = new int[4];
        var decoded = 0;
        var rejected = 0;

        for (var i = 0; i < Iterations; i++)
        {
            var input = Mutate(random, corpus[random.Next(corpus.Count)]);
            try
            {
                Exercise(random, input, statuses, ref decoded, ref rejected);
            }
            catch (Exception exception)
            {
                Assert.Fail($"Iteration {i} (seed {Seed}) threw on input {Bytes.Hex(input)}: {exception}");
            }
        }

        stopwatch.Stop();
        _output.WriteLine(
            $"{Iterations} packets in {stopwatch.ElapsedMilliseconds} ms; frames complete {statuses[0]}, incomplete {statuses[1]}, " +
            $"malformed {statuses[2]}, too large {statuses[3]}; decodes ok {decoded}, rejected {rejected}");

        // Both outcomes were exercised, not only one.
        Assert.True(decoded > 1000 && rejected > 1000, $"decoded {decoded}, rejected {rejected}");
    }

    private static void Exercise(Random random, byte[] input, int[] statuses, ref int decoded, ref int rejected)
    {
        // Framing, over one, two or three segments, with a random packet size limit.
        var sequence = Segment(random, input);
        var maxPacketSize = random.Next(4) == 0 ? random.Next(2, 64) : int.MaxValue;
        while (true)
        {
            var before = sequence.Length;
            var status = FrameReader.TryReadFrame(ref sequence, maxPacketSize, out var frame);
            Assert.True(Enum.IsDefined(status));
            statuses[(int)status]++;
            if (status != FrameStatus.Complete)
            {
                Assert.Equal(before, sequence.Length);
                break;
            }

            Assert.Equal(before - frame.TotalLength, sequence.Length);
            foreach (var version in DecodeVersions)
            {
                Check(PacketDecoder.TryDecode(frame, version, out var error), error, ref decoded, ref rejected);
            }
        }

        // Decoding without framing: the first byte as type and flags, the rest as the body, so that
        // truncated and extended bodies reach every decoder even when the length would not frame.
        if (input.Length > 0)
        {
            var type = (PacketType)(input[0] >> 4);
            var flags = (byte)(input[0] & 0x0F);
            var body = input.AsSpan(Math.Min(input.Length, 2));
            foreach (var version in DecodeVersions)
            {
                Check(PacketDecoder.TryDecode(type, flags, body, version, out var error), error, ref decoded, ref rejected);
            }
        }
    }

    private static void Check(bool ok, DecodeError error, ref int decoded, ref int rejected)
    {
        if (ok)
        {
            Assert.False(error.IsError);
            decoded++;
            return;
        }

        Assert.True(error.IsError);
        Assert.Contains(error.ReasonCode, DecoderReasons);
        Assert.False(string.IsNullOrEmpty(error.Message));
        rejected++;
    }

    private static List<byte[]> BuildCorpus(Random random)
    {
        var corpus = new List<byte[]>();
        foreach (var sample in SamplePackets.All)
        {
            corpus.Add(PacketCodec.Write(sample.Packet, sample.Version));
        }

        foreach (var version in SamplePackets.Versions)
        {
            var packets = new RandomPackets(random, version);
            for (var i = 0; i < 300; i++)
            {
                var sample = packets.Next();
                corpus.Add(PacketCodec.Write(sample.Packet, sample.Version));
            }
        }

        return corpus;
    }

    private static byte[] Mutate(Random random, byte[] valid)
    {
        var data = (byte[])valid.Clone();
        switch (random.Next(10))
        {
            case 0:
                // Random bytes.
                data = new byte[random.Next(0, 80)];
                random.NextBytes(data);
                return data;
            case 1:
                // Valid packet untouched (possibly followed by a second one).
                return random.Next(2) == 0 ? data : [.. data, .. valid];
            case 2:
                // Truncated.
                return data[..random.Next(0, data.Length)];
            case 3:
            {
                // Extended with random bytes, remaining length fixed up so the frame is complete.
                var extra = new byte[random.Next(1, 20)];
                random.NextBytes(extra);
                return Reframe(data, [.. Body(data), .. extra]);
            }

            case 4:
                // Body truncated, remaining length fixed up.
                var body = Body(data);
                return Reframe(data, body[..random.Next(0, body.Length + 1)]);
            case 5:
            {
                // Remaining length tampered: a nearby or random value, possibly non-minimal or 5 bytes.
                var bodyBytes = Body(data);
                byte[] header = random.Next(4) switch
                {
                    0 => VbiBytes(Math.Max(0, bodyBytes.Length + random.Next(-3, 4))),
                    1 => VbiBytes(random.Next(0, 268_435_456)),
                    2 => [(byte)(0x80 | (bodyBytes.Length & 0x7F)), 0x00],
                    _ => [0xFF, 0xFF, 0xFF, 0xFF, 0x7F],
                };
                return [data[0], .. header, .. bodyBytes];
            }

            case 6:
                // First byte (type and flags) replaced.
                data[0] = (byte)random.Next(256);
                return data;
            default:
            {
                // One to four bit flips or byte overwrites anywhere.
                var count = random.Next(1, 5);
                for (var i = 0; i < count && data.Length > 0; i++)
                {
                    var position = random.Next(data.Length);
                    if (random.Next(2) == 0)
                    {
                        data[position] ^= (byte)(1 << random.Next(8));
                    }
                    else
                    {
                        data[position] = random.Next(3) switch { 0 => 0x00, 1 => 0xFF, _ => (byte)random.Next(256) };
                    }
                }

                return data;
            }
        }
    }

    private static byte[] Body(byte[] packet)
    {
        var i = 1;
        while (i < packet.Length && i < 5 && (packet[i] & 0x80) != 0)
        {
            i++;
        }

        return packet.Length > i + 1 ? packet[(i + 1)..] : [];
    }

    private static byte[] Reframe(byte[] packet, byte[] body) => [packet[0], .. VbiBytes(body.Length), .. body];

    private static byte[] VbiBytes(int value)
    {
        var bytes = new byte[4];
        return bytes[..VariableByteInteger.Write(bytes, value)];
    }

    private static ReadOnlySequence<byte> Segment(Random random, byte[] input)
    {
        if (input.Length < 2 || random.Next(3) == 0)
        {
            return new ReadOnlySequence<byte>(input);
        }

        var first = random.Next(0, input.Length + 1);
        if (random.Next(2) == 0)
        {
            return BufferSegment.Split(input, first);
        }

        var second = random.Next(first, input.Length + 1);
        return BufferSegment.Create(input[..first], input[first..second], input[second..]);
    }
}
