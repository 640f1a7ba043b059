using Bifro.Runtime.Identity;

namespace Bifro.Runtime;

/// <summary>
/// The type part of a <see cref="GrainId"/>. By default the grain class name, lower-cased, without a
/// trailing "Grain" (ChatRoomGrain → "chatroom"), as in Orleans; [GrainType("name")] overrides it.
/// </summary>
public readonly struct GrainType : IEquatable<GrainType>, IComparable<GrainType>
{
    private readonly string? _value;
    private readonly uint _hash;

    private GrainType(string value)
    {
        _value = value;
        _hash = StableHash.ComputeHash(value);
    }

    public string Value => _value ?? string.Empty;

    public bool IsDefault => _value is null;

    public static GrainType Create(string value)
    {
        ArgumentException.ThrowIfNullOrEmpty(value);
        if (value.Contains('/'))
        {
            throw new ArgumentException($"A grain type may not contain '/': '{value}'.", nameof(value));
        }

        return new GrainType(value);
    }

    /// <summary>The type name Orleans would give <paramref name="grainClass"/>.</summary>
    public static string GetDefaultName(string className)
    {
        var name = className;
        var tick = name.IndexOf('`');
        var arity = string.Empty;
        if (tick >= 0)
        {
            arity = name[tick..];
            name = name[..tick];
        }

        if (name.EndsWith("Grain", StringComparison.Ordinal) && name.Length > "Grain".Length)
        {
            name = name[..^"Grain".Length];
        }

        return name.ToLowerInvariant() + arity;
    }

    public uint GetUniformHashCode() => _hash;

    public bool Equals(GrainType other) => string.Equals(_value, other._value, StringComparison.Ordinal);

    public override bool Equals(object? obj) => obj is GrainType other && Equals(other);

    public override int GetHashCode() => (int)_hash;

    public int CompareTo(GrainType other) => string.CompareOrdinal(_value, other._value);

    public override string ToString() => Value;

    public static bool operator ==(GrainType left, GrainType right) => left.Equals(right);

    public static bool operator !=(GrainType left, GrainType right) => !left.Equals(right);
}
