using Bifro.MqttEdge.Codec.Framing;

namespace Bifro.MqttEdge.Codec.Properties;

/// <summary>Writes properties; each method writes nothing for an absent (null) value, matching <see cref="PropertySize"/>.</summary>
internal static class PropertyWriter
{
    public static void WriteByte(ref PacketWriter writer, PropertyId id, byte? value)
    {
        if (value is { } v)
        {
            writer.WriteByte((byte)id);
            writer.WriteByte(v);
        }
    }

    public static void WriteBoolean(ref PacketWriter writer, PropertyId id, bool? value) =>
        WriteByte(ref writer, id, value is { } v ? (byte)(v ? 1 : 0) : null);

    public static void WriteUInt16(ref PacketWriter writer, PropertyId id, ushort? value)
    {
        if (value is { } v)
        {
            writer.WriteByte((byte)id);
            writer.WriteUInt16(v);
        }
    }

    public static void WriteUInt32(ref PacketWriter writer, PropertyId id, uint? value)
    {
        if (value is { } v)
        {
            writer.WriteByte((byte)id);
            writer.WriteUInt32(v);
        }
    }

    public static void WriteVariableByteInteger(ref PacketWriter writer, PropertyId id, int value)
    {
        writer.WriteByte((byte)id);
        writer.WriteVariableByteInteger(value);
    }

    public static void WriteString(ref PacketWriter writer, PropertyId id, string? value)
    {
        if (value is not null)
        {
            writer.WriteByte((byte)id);
            writer.WriteString(value);
        }
    }

    public static void WriteBinary(ref PacketWriter writer, PropertyId id, byte[]? value)
    {
        if (value is not null)
        {
            writer.WriteByte((byte)id);
            writer.WriteBinary(value);
        }
    }

    public static void WriteSpan(ref PacketWriter writer, PropertyId id, ReadOnlySpan<byte> value)
    {
        writer.WriteByte((byte)id);
        writer.WriteBinary(value);
    }

    public static void WriteUserProperties(ref PacketWriter writer, IReadOnlyList<UserProperty>? properties)
    {
        if (properties is null)
        {
            return;
        }

        for (var i = 0; i < properties.Count; i++)
        {
            writer.WriteByte((byte)PropertyId.UserProperty);
            writer.WriteString(properties[i].Name);
            writer.WriteString(properties[i].Value);
        }
    }
}
