using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Bifro.Grains.Authorization.Providers;

/// <summary>
/// Salted PBKDF2 password hashes in a PHC-style string, made by <c>bifro hash-password</c>:
/// <code>$pbkdf2-sha256$i=600000$&lt;salt, base64&gt;$&lt;hash, base64&gt;</code>
/// (or pbkdf2-sha512). Verification recomputes the hash and compares in constant time.
/// </summary>
internal static class PasswordHash
{
    /// <summary>OWASP's 2023 recommendation for PBKDF2-HMAC-SHA256.</summary>
    public const int DefaultIterations = 600_000;

    /// <summary>Fewer iterations than this are refused, when hashing and when loading a users file.</summary>
    public const int MinimumIterations = 10_000;

    public const int SaltBytes = 16;

    private const string Sha256Id = "pbkdf2-sha256";
    private const string Sha512Id = "pbkdf2-sha512";

    /// <summary>Hashes <paramref name="password"/> with a new random salt.</summary>
    public static string Hash(string password, int iterations = DefaultIterations, bool sha512 = false)
    {
        if (iterations < MinimumIterations)
        {
            throw new ArgumentOutOfRangeException(nameof(iterations), iterations, $"At least {MinimumIterations} iterations.");
        }

        var salt = RandomNumberGenerator.GetBytes(SaltBytes);
        var algorithm = sha512 ? HashAlgorithmName.SHA512 : HashAlgorithmName.SHA256;
        var hash = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), salt, iterations, algorithm, sha512 ? 64 : 32);
        return Format(sha512 ? Sha512Id : Sha256Id, iterations, salt, hash);
    }

    /// <summary>True when <paramref name="password"/> (the CONNECT bytes) matches <paramref name="hash"/>.</summary>
    public static bool Verify(ReadOnlySpan<byte> password, Parsed hash)
    {
        var computed = Rfc2898DeriveBytes.Pbkdf2(password, hash.Salt, hash.Iterations, hash.Algorithm, hash.Hash.Length);

        // [constant time] The comparison takes as long whatever the first differing byte.
        return CryptographicOperations.FixedTimeEquals(computed, hash.Hash);
    }

    /// <summary>Parses a hash string; the error says what is wrong with it.</summary>
    public static bool TryParse(string? value, [NotNullWhen(true)] out Parsed? parsed, [NotNullWhen(false)] out string? error)
    {
        parsed = null;
        var parts = value?.Split('$') ?? [];

        // "", id, "i=N", salt, hash
        if (parts.Length != 5 || parts[0].Length != 0)
        {
            error = "is not of the form $pbkdf2-sha256$i=<iterations>$<salt>$<hash> (make one with 'bifro hash-password')";
            return false;
        }

        var algorithm = parts[1] switch
        {
            Sha256Id => HashAlgorithmName.SHA256,
            Sha512Id => HashAlgorithmName.SHA512,
            _ => default,
        };
        if (algorithm == default)
        {
            error = $"uses '{parts[1]}'; only {Sha256Id} and {Sha512Id} are supported";
            return false;
        }

        if (!parts[2].StartsWith("i=", StringComparison.Ordinal)
            || !int.TryParse(parts[2].AsSpan(2), NumberStyles.None, CultureInfo.InvariantCulture, out var iterations))
        {
            error = "has no iteration count (i=<iterations>)";
            return false;
        }

        if (iterations < MinimumIterations)
        {
            error = $"has {iterations} iterations; at least {MinimumIterations} are required";
            return false;
        }

        if (!TryDecode(parts[3], out var salt) || salt.Length < SaltBytes)
        {
            error = $"has no salt of at least {SaltBytes} bytes (base64)";
            return false;
        }

        var expectedLength = algorithm == HashAlgorithmName.SHA512 ? 64 : 32;
        if (!TryDecode(parts[4], out var hash) || hash.Length != expectedLength)
        {
            error = $"has no {expectedLength}-byte hash (base64)";
            return false;
        }

        parsed = new Parsed(algorithm, iterations, salt, hash);
        error = null;
        return true;
    }

    private static string Format(string id, int iterations, byte[] salt, byte[] hash) =>
        string.Create(CultureInfo.InvariantCulture, $"${id}$i={iterations}${Encode(salt)}${Encode(hash)}");

    // PHC strings use base64 without padding.
    private static string Encode(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=');

    private static bool TryDecode(string text, out byte[] bytes)
    {
        var padded = text.Length % 4 == 0 ? text : text + new string('=', 4 - (text.Length % 4));
        try
        {
            bytes = Convert.FromBase64String(padded);
            return true;
        }
        catch (FormatException)
        {
            bytes = [];
            return false;
        }
    }

    /// <summary>A parsed hash: algorithm, iterations, salt and the expected derived key.</summary>
    internal sealed record Parsed(HashAlgorithmName Algorithm, int Iterations, byte[] Salt, byte[] Hash);
}
