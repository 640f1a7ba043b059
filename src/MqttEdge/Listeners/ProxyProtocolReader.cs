using System.Buffers;
using System.Buffers.Binary;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Bifro.MqttEdge.Listeners;

/// <summary>
/// Reads a PROXY protocol header (haproxy.org/download/2.9/doc/proxy-protocol.txt), version 1 or 2, from
/// the start of a connection. Like the MQTT frame reader, it slices past the header when complete and
/// consumes nothing otherwise.
/// </summary>
internal static class ProxyProtocolReader
{
    /// <summary>A v1 line is at most 107 bytes with its CRLF (section 2.1).</summary>
    internal const int MaxV1Length = 107;

    private const int V2HeaderLength = 16;

    /// <summary>The v2 signature: "\r\n\r\n\0\r\nQUIT\n".</summary>
    private static ReadOnlySpan<byte> V2Signature => [0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A];

    private static ReadOnlySpan<byte> V1Prefix => "PROXY "u8;

    public static ProxyHeaderStatus TryRead(ref ReadOnlySequence<byte> buffer, out ProxyHeader header)
    {
        header = default;
        if (buffer.IsEmpty)
        {
            return ProxyHeaderStatus.Incomplete;
        }

        // The first segment may be empty; the first byte tells the version.
        Span<byte> firstByte = stackalloc byte[1];
        buffer.Slice(0, 1).CopyTo(firstByte);
        var first = firstByte[0];
        if (first == V1Prefix[0])
        {
            return TryReadV1(ref buffer, out header);
        }

        if (first == V2Signature[0])
        {
            return TryReadV2(ref buffer, out header);
        }

        return ProxyHeaderStatus.Invalid;
    }

    private static ProxyHeaderStatus TryReadV1(ref ReadOnlySequence<byte> buffer, out ProxyHeader header)
    {
        header = default;
        Span<byte> line = stackalloc byte[MaxV1Length];
        var available = (int)Math.Min(buffer.Length, MaxV1Length);
        buffer.Slice(0, available).CopyTo(line);
        line = line[..available];

        var prefix = Math.Min(available, V1Prefix.Length);
        if (!line[..prefix].SequenceEqual(V1Prefix[..prefix]))
        {
            return ProxyHeaderStatus.Invalid;
        }

        var end = line.IndexOf((byte)'\n');
        if (end < 0)
        {
            return available == MaxV1Length ? ProxyHeaderStatus.Invalid : ProxyHeaderStatus.Incomplete;
        }

        if (end == 0 || line[end - 1] != '\r')
        {
            return ProxyHeaderStatus.Invalid;
        }

        if (!TryParseV1(line[V1Prefix.Length..(end - 1)], out header))
        {
            return ProxyHeaderStatus.Invalid;
        }

        buffer = buffer.Slice(end + 1);
        return ProxyHeaderStatus.Complete;
    }

    /// <summary>"TCP4 src dst sport dport", "TCP6 ..." or "UNKNOWN[ anything]", single spaces (section 2.1).</summary>
    private static bool TryParseV1(ReadOnlySpan<byte> fields, out ProxyHeader header)
    {
        header = default;
        if (fields.StartsWith("UNKNOWN"u8) && (fields.Length == 7 || fields[7] == ' '))
        {
            // The proxy could not tell (or it is a health check): the connection's own addresses stand.
            return true;
        }

        AddressFamily family;
        if (fields.StartsWith("TCP4 "u8))
        {
            family = AddressFamily.InterNetwork;
        }
        else if (fields.StartsWith("TCP6 "u8))
        {
            family = AddressFamily.InterNetworkV6;
        }
        else
        {
            return false;
        }

        Span<Range> parts = stackalloc Range[4];
        var rest = fields[5..];
        var count = 0;
        foreach (var part in rest.Split((byte)' '))
        {
            if (count == parts.Length)
            {
                return false;
            }

            parts[count++] = part;
        }

        if (count != parts.Length)
        {
            return false;
        }

        if (!TryParseAddress(rest[parts[0]], family, out var source) ||
            !TryParseAddress(rest[parts[1]], family, out var destination) ||
            !TryParsePort(rest[parts[2]], out var sourcePort) ||
            !TryParsePort(rest[parts[3]], out var destinationPort))
        {
            return false;
        }

        header = new ProxyHeader(new IPEndPoint(source, sourcePort), new IPEndPoint(destination, destinationPort));
        return true;
    }

    private static bool TryParseAddress(ReadOnlySpan<byte> text, AddressFamily family, out IPAddress address)
    {
        address = IPAddress.None;
        if (text.IsEmpty || text.Length > 45)
        {
            return false;
        }

        Span<char> chars = stackalloc char[text.Length];
        Encoding.ASCII.GetChars(text, chars);
        if (!IPAddress.TryParse(chars, out var parsed) || parsed.AddressFamily != family)
        {
            return false;
        }

        address = parsed;
        return true;
    }

    private static bool TryParsePort(ReadOnlySpan<byte> text, out int port)
    {
        // Decimal digits only (no sign, no leading zero but "0" itself).
        port = 0;
        if (text.IsEmpty || text.Length > 5 || (text[0] == '0' && text.Length > 1))
        {
            return false;
        }

        if (!ushort.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value))
        {
            return false;
        }

        port = value;
        return true;
    }

    private static ProxyHeaderStatus TryReadV2(ref ReadOnlySequence<byte> buffer, out ProxyHeader header)
    {
        header = default;
        Span<byte> fixedPart = stackalloc byte[V2HeaderLength];
        var available = (int)Math.Min(buffer.Length, V2HeaderLength);
        buffer.Slice(0, available).CopyTo(fixedPart);
        var signature = Math.Min(available, V2Signature.Length);
        if (!fixedPart[..signature].SequenceEqual(V2Signature[..signature]))
        {
            return ProxyHeaderStatus.Invalid;
        }

        if (available < V2HeaderLength)
        {
            return ProxyHeaderStatus.Incomplete;
        }

        // Byte 13: version (high nibble, must be 2) and command (low nibble: 0 LOCAL, 1 PROXY).
        var versionCommand = fixedPart[12];
        if (versionCommand >> 4 != 2 || (versionCommand & 0x0F) > 1)
        {
            return ProxyHeaderStatus.Invalid;
        }

        var length = BinaryPrimitives.ReadUInt16BigEndian(fixedPart[14..]);
        if (buffer.Length < V2HeaderLength + length)
        {
            return ProxyHeaderStatus.Incomplete;
        }

        var block = buffer.Slice(V2HeaderLength, length);
        var local = (versionCommand & 0x0F) == 0;

        // LOCAL: the proxy's own connection (a health check). The connection's own addresses stand and the
        // block is skipped, whatever the family says (section 2.2).
        if (!local)
        {
            // Byte 14: address family (high nibble) and transport (low nibble).
            var family = fixedPart[13];
            if (!TryParseV2Addresses(family, block, out header, out var addressLength))
            {
                return ProxyHeaderStatus.Invalid;
            }

            // An unspecified family's block is all unknown; otherwise TLVs follow the addresses.
            if (family != 0x00 && !TlvsAreWellFormed(block.Slice(addressLength)))
            {
                return ProxyHeaderStatus.Invalid;
            }
        }

        buffer = buffer.Slice(V2HeaderLength + length);
        return ProxyHeaderStatus.Complete;
    }

    private static bool TryParseV2Addresses(byte family, ReadOnlySequence<byte> block, out ProxyHeader header, out int addressLength)
    {
        header = default;
        addressLength = 0;
        switch (family)
        {
            case 0x00:
                // UNSPEC: unknown protocol; keep the connection's addresses.
                return true;
            case 0x11:
            {
                // TCP over IPv4: source (4), destination (4), source port (2), destination port (2).
                addressLength = 12;
                if (block.Length < addressLength)
                {
                    return false;
                }

                Span<byte> a = stackalloc byte[12];
                block.Slice(0, 12).CopyTo(a);
                header = new ProxyHeader(
                    new IPEndPoint(new IPAddress(a[..4]), BinaryPrimitives.ReadUInt16BigEndian(a[8..])),
                    new IPEndPoint(new IPAddress(a[4..8]), BinaryPrimitives.ReadUInt16BigEndian(a[10..])));
                return true;
            }

            case 0x21:
            {
                // TCP over IPv6: source (16), destination (16), source port (2), destination port (2).
                addressLength = 36;
                if (block.Length < addressLength)
                {
                    return false;
                }

                Span<byte> a = stackalloc byte[36];
                block.Slice(0, 36).CopyTo(a);
                header = new ProxyHeader(
                    new IPEndPoint(new IPAddress(a[..16]), BinaryPrimitives.ReadUInt16BigEndian(a[32..])),
                    new IPEndPoint(new IPAddress(a[16..32]), BinaryPrimitives.ReadUInt16BigEndian(a[34..])));
                return true;
            }

            case 0x31:
                // A Unix stream socket at the proxy (two 108-byte paths): no network address to take.
                addressLength = 216;
                return block.Length >= addressLength;
            default:
                // Datagram transports, or unknown families: MQTT runs over streams only.
                return false;
        }
    }

    /// <summary>Type-length-value vectors after the addresses (section 2.2.7): skipped, but each must fit.</summary>
    private static bool TlvsAreWellFormed(ReadOnlySequence<byte> tlvs)
    {
        var reader = new SequenceReader<byte>(tlvs);
        while (!reader.End)
        {
            if (!reader.TryRead(out _) || !reader.TryReadBigEndian(out short length) || reader.Remaining < (ushort)length)
            {
                return false;
            }

            reader.Advance((ushort)length);
        }

        return true;
    }
}
