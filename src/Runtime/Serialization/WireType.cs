namespace Bifro.Serialization;

/// <summary>
/// How a field's value is laid out, so a reader can skip fields it does not know (the low three bits
/// of a field header; the rest is the field id).
/// </summary>
public enum WireType : byte
{
    /// <summary>A variable-length integer (LEB128; signed values zig-zag encoded).</summary>
    VarInt = 0,

    /// <summary>Eight little-endian bytes.</summary>
    Fixed64 = 1,

    /// <summary>A variable-length byte count, then that many bytes (strings, byte arrays).</summary>
    LengthPrefixed = 2,

    /// <summary>A four-byte little-endian length, then a scope of its own (objects, collections).</summary>
    Object = 3,

    /// <summary>Four little-endian bytes.</summary>
    Fixed32 = 5,
}
