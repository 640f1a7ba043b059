using System.Buffers.Binary;

namespace Bifro.Bench.Load;

/// <summary>
/// What a publisher stamps into every payload. The rest of the payload is filler. Timestamps are
/// <see cref="System.Diagnostics.Stopwatch"/> ticks; on Linux that is CLOCK_MONOTONIC, shared by every process
/// on the machine, so a separate <c>pub</c> and <c>sub</c> process can also measure latency.
/// </summary>
internal static class Payload
{
    /// <summary>Smallest payload that holds the stamped fields.</summary>
    public const int MinimumSize = 24;

    private const int TimestampOffset = 0; // long: send time in Stopwatch ticks
    private const int SequenceOffset = 8; // long: per-publisher sequence number
    private const int PublisherOffset = 16; // int: publisher index
    private const int PhaseOffset = 20; // byte: which phase sent it, so late messages never count in the next one

    public static void Stamp(Span<byte> payload, long timestamp, long sequence, int publisher, byte phase)
    {
        BinaryPrimitives.WriteInt64LittleEndian(payload[TimestampOffset..], timestamp);
        BinaryPrimitives.WriteInt64LittleEndian(payload[SequenceOffset..], sequence);
        BinaryPrimitives.WriteInt32LittleEndian(payload[PublisherOffset..], publisher);
        payload[PhaseOffset] = phase;
    }

    public static long Timestamp(ReadOnlySpan<byte> payload) => BinaryPrimitives.ReadInt64LittleEndian(payload[TimestampOffset..]);

    public static long Sequence(ReadOnlySpan<byte> payload) => BinaryPrimitives.ReadInt64LittleEndian(payload[SequenceOffset..]);

    public static byte Phase(ReadOnlySpan<byte> payload) => payload[PhaseOffset];
}
