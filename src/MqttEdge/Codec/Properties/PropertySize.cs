using System.Text;
using Bifro.MqttEdge.Codec.Framing;

namespace Bifro.MqttEdge.Codec.Properties;

/// <summary>
/// Encoded sizes of properties, identifier included; 0 for an absent (null) property. Used by the
/// writers to compute the exact packet size before writing.
/// </summary>
internal static class PropertySize
{
    /// <summary>Identifier (1) + byte (1).</summary>
    public static int Byte(bool present) => present ? 2 : 0;

    /// <summary>Identifier (1) + two byte integer (2).</summary>
    public static int UInt16(bool present) => present ? 3 : 0;

    /// <summary>Identifier (1) + four byte integer (4).</summary>
    public static int UInt32(bool present) => present ? 5 : 0;

    /// <summary>Identifier (1) + variable byte integer (1 to 4).</summary>
    public static int VariableByteInteger(int value) => 1 + Framing.VariableByteInteger.GetSize(value);

    /// <summary>Identifier (1) + length (2) + UTF-8 bytes.</summary>
    public static int String(string? value) => value is null ? 0 : 3 + StringBytes(value);

    /// <summary>Identifier (1) + length (2) + bytes.</summary>
    public static int Binary(byte[]? value) => value is null ? 0 : 3 + value.Length;

    /// <summary>Identifier (1) + length (2) + bytes, for a present span.</summary>
    public static int Span(ReadOnlySpan<byte> value) => 3 + value.Length;

    /// <summary>Each pair: identifier (1) + name length (2) + name + value length (2) + value.</summary>
    public static int UserProperties(IReadOnlyList<UserProperty>? properties)
    {
        if (properties is null)
        {
            return 0;
        }

        var size = 0;
        for (var i = 0; i < properties.Count; i++)
        {
            size += 5 + StringBytes(properties[i].Name) + StringBytes(properties[i].Value);
        }

        return size;
    }

    /// <summary>UTF-8 length of <paramref name="value"/>, which must fit a two-byte length.</summary>
    public static int StringBytes(string value)
    {
        var count = Encoding.UTF8.GetByteCount(value);
        if (count > ushort.MaxValue)
        {
            CodecThrowHelper.ThrowStringTooLong(nameof(value));
        }

        return count;
    }

    /// <summary>Size of a property block with its length prefix: variable byte integer + <paramref name="length"/>.</summary>
    public static int Block(int length) => Framing.VariableByteInteger.GetSize(length) + length;

    /// <summary>Size of a whole packet from its remaining length: first byte + variable byte integer + body.</summary>
    public static int Packet(int remainingLength)
    {
        if ((uint)remainingLength > Framing.VariableByteInteger.MaxValue)
        {
            CodecThrowHelper.ThrowPacketTooLarge();
        }

        return 1 + Framing.VariableByteInteger.GetSize(remainingLength) + remainingLength;
    }
}
