using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace Bifro.Runtime.Transport;

/// <summary>Who a peer is: a silo of the cluster, or a cluster client (an edge-only node).</summary>
internal enum PeerRole : byte
{
    Silo = 1,
    Client = 2,
}

/// <summary>
/// The first thing each side of a connection sends (Orleans' ConnectionPreamble): protocol version,
/// role, ClusterId, ServiceId and identity. A peer of another cluster or service is refused before any
/// grain message is read.
/// </summary>
internal sealed record ConnectionPreamble(byte ProtocolVersion, PeerRole Role, string ClusterId, string ServiceId, string Identity)
{
    public const byte CurrentProtocolVersion = 1;

    private static ReadOnlySpan<byte> Magic => "BIFR"u8;

    public byte[] Encode()
    {
        var cluster = Encoding.UTF8.GetBytes(ClusterId);
        var service = Encoding.UTF8.GetBytes(ServiceId);
        var identity = Encoding.UTF8.GetBytes(Identity);
        var bytes = new byte[4 + 1 + 1 + 6 + cluster.Length + service.Length + identity.Length];
        Magic.CopyTo(bytes);
        bytes[4] = ProtocolVersion;
        bytes[5] = (byte)Role;
        var offset = 6;
        foreach (var part in new[] { cluster, service, identity })
        {
            BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(offset), (ushort)part.Length);
            part.CopyTo(bytes, offset + 2);
            offset += 2 + part.Length;
        }

        return bytes;
    }

    /// <summary>Reads a preamble from the start of <paramref name="buffer"/>; false while incomplete; throws on garbage.</summary>
    public static bool TryRead(ref ReadOnlySequence<byte> buffer, out ConnectionPreamble preamble)
    {
        preamble = null!;
        var reader = new SequenceReader<byte>(buffer);
        Span<byte> magic = stackalloc byte[4];
        if (!reader.TryCopyTo(magic))
        {
            return false;
        }

        if (!magic.SequenceEqual(Magic))
        {
            throw new InvalidDataException("Not a Bifro silo connection (bad preamble).");
        }

        reader.Advance(4);
        if (!reader.TryRead(out var version) || !reader.TryRead(out var role))
        {
            return false;
        }

        var parts = new string[3];
        for (var i = 0; i < 3; i++)
        {
            if (!reader.TryReadLittleEndian(out short length))
            {
                return false;
            }

            if (reader.Remaining < (ushort)length)
            {
                return false;
            }

            var bytes = new byte[(ushort)length];
            reader.TryCopyTo(bytes);
            reader.Advance(bytes.Length);
            parts[i] = Encoding.UTF8.GetString(bytes);
        }

        preamble = new ConnectionPreamble(version, (PeerRole)role, parts[0], parts[1], parts[2]);
        buffer = buffer.Slice(reader.Position);
        return true;
    }
}
