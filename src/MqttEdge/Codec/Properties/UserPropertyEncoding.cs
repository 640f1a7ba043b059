using Bifro.MqttEdge.Codec.Framing;

namespace Bifro.MqttEdge.Codec.Properties;

/// <summary>
/// User properties in their wire form, the sequence of <c>0x26 name value</c> entries that
/// <see cref="PublishProperties.CopyUserPropertiesTo"/> produces and the PUBLISH writer takes.
/// A publisher (the load generator, a will message) encodes once and reuses the bytes.
/// </summary>
internal static class UserPropertyEncoding
{
    /// <summary>Encoded size of <paramref name="properties"/>.</summary>
    public static int GetSize(IReadOnlyList<UserProperty>? properties) => PropertySize.UserProperties(properties);

    /// <summary>Encodes <paramref name="properties"/> into <paramref name="destination"/>; returns the bytes written.</summary>
    public static int Encode(IReadOnlyList<UserProperty>? properties, Span<byte> destination)
    {
        var size = GetSize(properties);
        if (destination.Length < size)
        {
            CodecThrowHelper.ThrowDestinationTooSmall();
        }

        var writer = new PacketWriter(destination);
        PropertyWriter.WriteUserProperties(ref writer, properties);
        return writer.Position;
    }

    /// <summary>Encodes <paramref name="properties"/> into a new array.</summary>
    public static byte[] Encode(IReadOnlyList<UserProperty>? properties)
    {
        var bytes = new byte[GetSize(properties)];
        Encode(properties, bytes);
        return bytes;
    }
}
