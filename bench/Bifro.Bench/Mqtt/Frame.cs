namespace Bifro.Bench.Mqtt;

/// <summary>Where one complete control packet sits in a receive buffer.</summary>
internal readonly struct Frame(PacketType type, byte flags, int headerLength, int remainingLength)
{
    public PacketType Type { get; } = type;

    /// <summary>Low nibble of the first byte (PUBLISH: DUP, QoS, RETAIN).</summary>
    public byte Flags { get; } = flags;

    public int HeaderLength { get; } = headerLength;

    public int RemainingLength { get; } = remainingLength;

    public int TotalLength => HeaderLength + RemainingLength;
}
