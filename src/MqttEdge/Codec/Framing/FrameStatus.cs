namespace Bifro.MqttEdge.Codec.Framing;

/// <summary>Outcome of <see cref="FrameReader.TryReadFrame"/>.</summary>
internal enum FrameStatus
{
    /// <summary>A whole packet was read and the buffer sliced past it.</summary>
    Complete,

    /// <summary>More bytes are needed; nothing was consumed.</summary>
    Incomplete,

    /// <summary>The remaining length is not a valid variable byte integer; close (5.0: DISCONNECT 0x81).</summary>
    Malformed,

    /// <summary>The packet exceeds the maximum packet size; close (5.0: DISCONNECT 0x95).</summary>
    TooLarge,
}
