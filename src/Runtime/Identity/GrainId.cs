using System.Diagnostics.CodeAnalysis;
using Bifro.Runtime.Identity;

namespace Bifro.Runtime;

/// <summary>
/// The identity of a grain: its type and a string key. The string form is "type/key" and the uniform
/// hash is Orleans' (type hash × 31 + key hash, both XxHash32), because both are visible in stored rows.
/// </summary>
public readonly struct GrainId : IEquatable<GrainId>, IComparable<GrainId>, ISpanFormattable
{
    private readonly string? _key;
    private readonly uint _keyHash;

    public GrainId(GrainType type, string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (type.IsDefault)
        {
            throw new ArgumentException("A grain id needs a grain type.", nameof(type));
        }

        Type = type;
        _key = key;
        _keyHash = StableHash.ComputeHash(key);
    }

    public GrainType Type { get; }

    /// <summary>The key as a string (Orleans: Key.ToString()).</summary>
    public string Key => _key ?? string.Empty;

    public bool IsDefault => Type.IsDefault;

    public static GrainId Create(string type, string key) => new(GrainType.Create(type), key);

    public static GrainId Create(GrainType type, string key) => new(type, key);

    public static GrainId Parse(string value) =>
        TryParse(value, out var id) ? id : throw new FormatException($"'{value}' is not a grain id of the form type/key.");

    public static bool TryParse([NotNullWhen(true)] string? value, out GrainId grainId)
    {
        var slash = value?.IndexOf('/') ?? -1;
        if (value is null || slash <= 0)
        {
            grainId = default;
            return false;
        }

        grainId = new GrainId(GrainType.Create(value[..slash]), value[(slash + 1)..]);
        return true;
    }

    public uint GetUniformHashCode() => unchecked((Type.GetUniformHashCode() * 31) + _keyHash);

    public bool Equals(GrainId other) => Type.Equals(other.Type) && string.Equals(_key, other._key, StringComparison.Ordinal);

    public override bool Equals(object? obj) => obj is GrainId other && Equals(other);

    public override int GetHashCode() => (int)GetUniformHashCode();

    public int CompareTo(GrainId other)
    {
        var c = Type.CompareTo(other.Type);
        return c != 0 ? c : string.CompareOrdinal(_key, other._key);
    }

    public override string ToString() => IsDefault ? string.Empty : $"{Type.Value}/{Key}";

    public string ToString(string? format, IFormatProvider? formatProvider) => ToString();

    public bool TryFormat(Span<char> destination, out int charsWritten, ReadOnlySpan<char> format, IFormatProvider? provider) =>
        destination.TryWrite($"{Type.Value}/{Key}", out charsWritten);

    public static bool operator ==(GrainId left, GrainId right) => left.Equals(right);

    public static bool operator !=(GrainId left, GrainId right) => !left.Equals(right);
}
