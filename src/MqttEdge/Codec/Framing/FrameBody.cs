using System.Buffers;

namespace Bifro.MqttEdge.Codec.Framing;

/// <summary>
/// A frame body as one contiguous span: the input segment itself when the body lies in one segment,
/// otherwise a copy into an array rented from <see cref="ArrayPool{T}.Shared"/>, returned by <see cref="Dispose"/>.
/// </summary>
/// <example><code>
/// using var body = FrameReader.GetBody(frame);
/// if (!PubAckPacket.TryRead(frame.Flags, body.Span, version, out var ack, out var error)) { ... }
/// </code></example>
internal ref struct FrameBody
{
    private byte[]? _rented;

    public FrameBody(ReadOnlySpan<byte> span, byte[]? rented)
    {
        Span = span;
        _rented = rented;
    }

    /// <summary>The body bytes; do not use after <see cref="Dispose"/>.</summary>
    public ReadOnlySpan<byte> Span { get; }

    /// <summary>True when the body spanned segments and was copied to a pooled array.</summary>
    public readonly bool IsCopy => _rented is not null;

    /// <summary>Returns the pooled copy, if any.</summary>
    public void Dispose()
    {
        if (_rented is { } rented)
        {
            _rented = null;
            ArrayPool<byte>.Shared.Return(rented);
        }
    }
}
