using System.Buffers;

namespace Bifro.MqttEdge.Codec.Framing;

/// <summary>
/// One control packet cut out of the input by <see cref="FrameReader.TryReadFrame"/>: its fixed header
/// and its body (variable header and payload) as a slice of the input sequence.
/// </summary>
internal readonly struct Frame
{
    public Frame(PacketType type, byte flags, int remainingLength, int headerLength, ReadOnlySequence<byte> body)
    {
        Type = type;
        Flags = flags;
        RemainingLength = remainingLength;
        HeaderLength = headerLength;
        Body = body;
    }

    /// <summary>High nibble of the first byte. Not validated: 0 and (in 3.x) 15 are rejected by the decoder.</summary>
    public PacketType Type { get; }

    /// <summary>Low nibble of the first byte: DUP, QoS and RETAIN for PUBLISH, reserved bits otherwise.</summary>
    public byte Flags { get; }

    /// <summary>Length of the body, from the fixed header.</summary>
    public int RemainingLength { get; }

    /// <summary>Length of the fixed header: 1 byte plus 1 to 4 bytes of remaining length.</summary>
    public int HeaderLength { get; }

    /// <summary>Size of the whole packet on the wire, the quantity limited by Maximum Packet Size.</summary>
    public int TotalLength => HeaderLength + RemainingLength;

    /// <summary>The body; it stays valid until the input buffer is advanced past it.</summary>
    public ReadOnlySequence<byte> Body { get; }
}
