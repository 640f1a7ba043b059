using System.Buffers.Binary;
using System.Text;
using Bifro.MqttEdge.Codec.Framing;

namespace Bifro.MqttEdge.Tests.Codec.Support;

/// <summary>Builds packets byte by byte for vectors and the malformed corpus.</summary>
internal static class Bytes
{
    /// <summary>A packet: <paramref name="first"/> (type and flags), the remaining length, then the parts.</summary>
    public static byte[] Packet(byte first, params byte[][] parts)
    {
        var body = Concat(parts);
        var header = new byte[1 + VariableByteInteger.GetSize(body.Length)];
        header[0] = first;
        VariableByteInteger.Write(header.AsSpan(1), body.Length);
        return [.. header, .. body];
    }

    public static byte[] Concat(params byte[][] parts)
    {
        var result = new List<byte>();
        foreach (var part in parts)
        {
            result.AddRange(part);
        }

        return [.. result];
    }

    public static byte[] B(params int[] values) => values.Select(v => (byte)v).ToArray();

    /// <summary>UTF-8 string or binary field: two-byte length then the bytes.</summary>
    public static byte[] S(string value) => L(Encoding.UTF8.GetBytes(value));

    /// <summary>Two-byte length then <paramref name="raw"/>.</summary>
    public static byte[] L(params int[] raw) => L(B(raw));

    public static byte[] L(byte[] raw)
    {
        var result = new byte[2 + raw.Length];
        BinaryPrimitives.WriteUInt16BigEndian(result, (ushort)raw.Length);
        raw.CopyTo(result, 2);
        return result;
    }

    public static byte[] U16(int value)
    {
        var result = new byte[2];
        BinaryPrimitives.WriteUInt16BigEndian(result, (ushort)value);
        return result;
    }

    public static byte[] U32(uint value)
    {
        var result = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(result, value);
        return result;
    }

    public static byte[] Vbi(int value)
    {
        var result = new byte[VariableByteInteger.GetSize(value)];
        VariableByteInteger.Write(result, value);
        return result;
    }

    /// <summary>A property block: the variable byte integer length then the properties.</summary>
    public static byte[] Props(params byte[][] properties)
    {
        var content = Concat(properties);
        return [.. Vbi(content.Length), .. content];
    }

    public static string Hex(ReadOnlySpan<byte> data) => Convert.ToHexString(data);
}
