using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Net;
using Bifro.Runtime.Identity;

namespace Bifro.Runtime;

/// <summary>
/// A silo's identity: endpoint and generation. A restarted silo has a new generation and so is a new
/// silo (a dead silo never comes back). The parsable form is Orleans' "ip:port@generation".
/// </summary>
public sealed class SiloAddress : IEquatable<SiloAddress>, IComparable<SiloAddress>
{
    private readonly uint _hash;

    public SiloAddress(IPEndPoint endpoint, int generation)
    {
        Endpoint = endpoint;
        Generation = generation;
        _hash = StableHash.ComputeHash(ToParsableString());
    }

    public IPEndPoint Endpoint { get; }

    public int Generation { get; }

    /// <summary>The silo of a process that runs no cluster (development mode, tests).</summary>
    public static SiloAddress Local { get; } = new(new IPEndPoint(IPAddress.Loopback, 0), 0);

    /// <summary>A generation for a silo starting now: seconds since 2022-01-01, as Orleans counts.</summary>
    public static int AllocateNewGeneration() =>
        (int)(DateTimeOffset.UtcNow - new DateTimeOffset(2022, 1, 1, 0, 0, 0, TimeSpan.Zero)).TotalSeconds;

    public string ToParsableString() => $"{Endpoint.Address}:{Endpoint.Port.ToString(CultureInfo.InvariantCulture)}@{Generation.ToString(CultureInfo.InvariantCulture)}";

    public static SiloAddress FromParsableString(string value) =>
        TryParse(value, out var address) ? address : throw new FormatException($"'{value}' is not a silo address of the form ip:port@generation.");

    public static bool TryParse(string? value, [NotNullWhen(true)] out SiloAddress? address)
    {
        address = null;
        var at = value?.LastIndexOf('@') ?? -1;
        if (value is null || at < 0)
        {
            return false;
        }

        if (!IPEndPoint.TryParse(value[..at], out var endpoint)
            || !int.TryParse(value.AsSpan(at + 1), NumberStyles.Integer, CultureInfo.InvariantCulture, out var generation))
        {
            return false;
        }

        address = new SiloAddress(endpoint, generation);
        return true;
    }

    /// <summary>The silo's position on the consistent-hash ring.</summary>
    public uint GetConsistentHashCode() => _hash;

    public bool Equals(SiloAddress? other) =>
        other is not null && Generation == other.Generation && Endpoint.Equals(other.Endpoint);

    public override bool Equals(object? obj) => Equals(obj as SiloAddress);

    public override int GetHashCode() => (int)_hash;

    public int CompareTo(SiloAddress? other)
    {
        if (other is null)
        {
            return 1;
        }

        var c = string.CompareOrdinal(Endpoint.ToString(), other.Endpoint.ToString());
        return c != 0 ? c : Generation.CompareTo(other.Generation);
    }

    public override string ToString() => ToParsableString();
}
