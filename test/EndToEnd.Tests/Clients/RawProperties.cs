using System.Text;

namespace Bifro.EndToEnd.Tests.Clients;

/// <summary>
/// Reads a 5.0 property block from a packet the broker sent (CONNACK, AUTH, DISCONNECT), written from section
/// 2.2.2 of the specification, independent of the broker's codec.
/// </summary>
internal static class RawProperties
{
    public const byte AuthenticationMethod = 0x15;
    public const byte AuthenticationData = 0x16;
    public const byte ReasonString = 0x1F;

    /// <summary>CONNACK: flags, reason code, then properties.</summary>
    public static Dictionary<byte, byte[]> OfConnAck(RawPacket packet) => Parse(packet.Body, 2);

    /// <summary>AUTH or DISCONNECT: reason code, then properties (none when the body is that short).</summary>
    public static Dictionary<byte, byte[]> OfAuth(RawPacket packet) => packet.Body.Length < 2 ? [] : Parse(packet.Body, 1);

    public static string? Text(Dictionary<byte, byte[]> properties, byte id) =>
        properties.TryGetValue(id, out var value) ? Encoding.UTF8.GetString(value) : null;

    /// <summary>Each property's value (strings and binary data without their length prefix); a repeated one keeps the last.</summary>
    public static Dictionary<byte, byte[]> Parse(byte[] body, int offset)
    {
        var length = ReadVariableByteInteger(body, ref offset);
        var end = offset + length;
        var result = new Dictionary<byte, byte[]>();
        while (offset < end)
        {
            var id = body[offset++];
            switch (id)
            {
                // Byte.
                case 0x01 or 0x17 or 0x19 or 0x24 or 0x25 or 0x28 or 0x29 or 0x2A:
                    result[id] = body[offset..(offset + 1)];
                    offset += 1;
                    break;

                // Two byte integer.
                case 0x13 or 0x21 or 0x22 or 0x23:
                    result[id] = body[offset..(offset + 2)];
                    offset += 2;
                    break;

                // Four byte integer.
                case 0x02 or 0x11 or 0x18 or 0x27:
                    result[id] = body[offset..(offset + 4)];
                    offset += 4;
                    break;

                // Variable byte integer (subscription identifier).
                case 0x0B:
                    var start = offset;
                    ReadVariableByteInteger(body, ref offset);
                    result[id] = body[start..offset];
                    break;

                // UTF-8 string or binary data: two-byte length, then the bytes.
                case 0x03 or 0x08 or 0x09 or 0x12 or 0x15 or 0x16 or 0x1A or 0x1C or 0x1F:
                    var size = (body[offset] << 8) | body[offset + 1];
                    result[id] = body[(offset + 2)..(offset + 2 + size)];
                    offset += 2 + size;
                    break;

                // User property: a string pair.
                case 0x26:
                    var nameSize = (body[offset] << 8) | body[offset + 1];
                    offset += 2 + nameSize;
                    var valueSize = (body[offset] << 8) | body[offset + 1];
                    offset += 2 + valueSize;
                    break;

                default:
                    throw new InvalidDataException($"Unknown property 0x{id:X2} in [{Convert.ToHexString(body)}].");
            }
        }

        return result;
    }

    private static int ReadVariableByteInteger(byte[] body, ref int offset)
    {
        var value = 0;
        for (var shift = 0; ; shift += 7)
        {
            var digit = body[offset++];
            value |= (digit & 0x7F) << shift;
            if ((digit & 0x80) == 0)
            {
                return value;
            }
        }
    }
}
