using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Text;

namespace Bifro.Runtime.Identity;

/// <summary>
/// XxHash32 with seed 0, the hash Orleans uses for ids (its IdSpan hash), so that directory and ring
/// positions computed here agree with Orleans'. System.IO.Hashing is not in our package registry.
/// </summary>
internal static class StableHash
{
    private const uint Prime1 = 2654435761U;
    private const uint Prime2 = 2246822519U;
    private const uint Prime3 = 3266489917U;
    private const uint Prime4 = 668265263U;
    private const uint Prime5 = 374761393U;

    public static uint ComputeHash(ReadOnlySpan<byte> data)
    {
        var length = data.Length;
        uint hash;
        var offset = 0;
        if (length >= 16)
        {
            var v1 = unchecked(Prime1 + Prime2);
            var v2 = Prime2;
            var v3 = 0u;
            var v4 = unchecked(0u - Prime1);
            while (offset <= length - 16)
            {
                v1 = Round(v1, BinaryPrimitives.ReadUInt32LittleEndian(data[offset..]));
                v2 = Round(v2, BinaryPrimitives.ReadUInt32LittleEndian(data[(offset + 4)..]));
                v3 = Round(v3, BinaryPrimitives.ReadUInt32LittleEndian(data[(offset + 8)..]));
                v4 = Round(v4, BinaryPrimitives.ReadUInt32LittleEndian(data[(offset + 12)..]));
                offset += 16;
            }

            hash = BitOperations.RotateLeft(v1, 1) + BitOperations.RotateLeft(v2, 7)
                + BitOperations.RotateLeft(v3, 12) + BitOperations.RotateLeft(v4, 18);
        }
        else
        {
            hash = Prime5;
        }

        hash = unchecked(hash + (uint)length);
        while (offset <= length - 4)
        {
            hash = unchecked(hash + (BinaryPrimitives.ReadUInt32LittleEndian(data[offset..]) * Prime3));
            hash = unchecked(BitOperations.RotateLeft(hash, 17) * Prime4);
            offset += 4;
        }

        while (offset < length)
        {
            hash = unchecked(hash + (data[offset] * Prime5));
            hash = unchecked(BitOperations.RotateLeft(hash, 11) * Prime1);
            offset++;
        }

        hash ^= hash >> 15;
        hash = unchecked(hash * Prime2);
        hash ^= hash >> 13;
        hash = unchecked(hash * Prime3);
        hash ^= hash >> 16;
        return hash;
    }

    public static uint ComputeHash(string value)
    {
        var max = Encoding.UTF8.GetMaxByteCount(value.Length);
        byte[]? rented = null;
        var buffer = max <= 256 ? stackalloc byte[256] : (rented = System.Buffers.ArrayPool<byte>.Shared.Rent(max));
        var written = Encoding.UTF8.GetBytes(value, buffer);
        var hash = ComputeHash(buffer[..written]);
        if (rented is not null)
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(rented);
        }

        return hash;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint Round(uint acc, uint input) =>
        unchecked(BitOperations.RotateLeft(acc + (input * Prime2), 13) * Prime1);
}
