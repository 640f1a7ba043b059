using System.Diagnostics.CodeAnalysis;

namespace Bifro.MqttEdge.Codec;

/// <summary>
/// Exceptions of the codec. They mean a bug in the caller (a writer given values that cannot be
/// encoded) or in the codec itself, never bad input from the network: that is a <see cref="DecodeError"/>.
/// Kept out of line so the hot methods stay small and inlinable.
/// </summary>
internal static class CodecThrowHelper
{
    [DoesNotReturn]
    public static void ThrowArgument(string message, string paramName) =>
        throw new ArgumentException(message, paramName);

    [DoesNotReturn]
    public static void ThrowArgumentOutOfRange(string paramName, string message) =>
        throw new ArgumentOutOfRangeException(paramName, message);

    [DoesNotReturn]
    public static void ThrowSizeMismatch(PacketType type, int expected, int written) =>
        throw new InvalidOperationException(
            $"Codec bug: {type} computed {expected} bytes but wrote {written}.");

    [DoesNotReturn]
    public static void ThrowDestinationTooSmall() =>
        throw new ArgumentException("Destination span is smaller than the encoded size.", "destination");

    [DoesNotReturn]
    public static void ThrowStringTooLong(string paramName) =>
        throw new ArgumentException("A UTF-8 string or binary field is longer than 65535 bytes.", paramName);

    [DoesNotReturn]
    public static void ThrowPacketTooLarge() =>
        throw new ArgumentException("The remaining length would exceed 268,435,455 bytes.");
}
