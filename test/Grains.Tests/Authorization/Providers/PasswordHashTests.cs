using System.Text;
using Bifro.Grains.Authorization.Providers;
using Xunit;

namespace Bifro.Grains.Tests.Authorization.Providers;

public sealed class PasswordHashTests
{
    [Theory]
    [InlineData(false, "$pbkdf2-sha256$i=10000$")]
    [InlineData(true, "$pbkdf2-sha512$i=10000$")]
    public void Hash_ThenVerify_RoundTrips(bool sha512, string prefix)
    {
        var hash = PasswordHash.Hash("correct horse", PasswordHash.MinimumIterations, sha512);

        Assert.StartsWith(prefix, hash, StringComparison.Ordinal);
        Assert.True(PasswordHash.TryParse(hash, out var parsed, out var error), error);
        Assert.True(PasswordHash.Verify("correct horse"u8, parsed));
        Assert.False(PasswordHash.Verify("correct horsE"u8, parsed));
        Assert.False(PasswordHash.Verify(""u8, parsed));
    }

    [Fact]
    public void Hash_SamePasswordTwice_SaltsDiffer()
    {
        var first = PasswordHash.Hash("pw", PasswordHash.MinimumIterations);
        var second = PasswordHash.Hash("pw", PasswordHash.MinimumIterations);

        Assert.NotEqual(first, second);
    }

    [Fact]
    public void Verify_HashDifferingInFirstOrLastByte_False()
    {
        PasswordHash.TryParse(PasswordHash.Hash("pw", PasswordHash.MinimumIterations), out var parsed, out _);
        var first = parsed! with { Hash = (byte[])parsed.Hash.Clone() };
        first.Hash[0] ^= 1;
        var last = parsed with { Hash = (byte[])parsed.Hash.Clone() };
        last.Hash[^1] ^= 1;

        // Both compare every byte (CryptographicOperations.FixedTimeEquals), wherever they differ.
        Assert.False(PasswordHash.Verify("pw"u8, first));
        Assert.False(PasswordHash.Verify("pw"u8, last));
        Assert.True(PasswordHash.Verify("pw"u8, parsed));
    }

    [Fact]
    public void Verify_KnownVector_MatchesPbkdf2Sha256()
    {
        // RFC 7914 §11 test vector for PBKDF2-HMAC-SHA256 (P="passwd", S="salt", c=1) cannot be used (1 iteration is
        // refused), so the vector is made here with the platform's primitive and a 16-byte salt.
        var salt = Encoding.ASCII.GetBytes("saltsaltsaltsalt");
        var expected = System.Security.Cryptography.Rfc2898DeriveBytes.Pbkdf2("passwd"u8, salt, 10_000, System.Security.Cryptography.HashAlgorithmName.SHA256, 32);
        var text = $"$pbkdf2-sha256$i=10000${Convert.ToBase64String(salt).TrimEnd('=')}${Convert.ToBase64String(expected).TrimEnd('=')}";

        Assert.True(PasswordHash.TryParse(text, out var parsed, out var error), error);
        Assert.True(PasswordHash.Verify("passwd"u8, parsed));
    }

    [Theory]
    [InlineData("secret", "is not of the form")]
    [InlineData("$md5$i=10000$c2FsdHNhbHRzYWx0c2FsdA$AAAA", "only pbkdf2-sha256")]
    [InlineData("$pbkdf2-sha256$10000$c2FsdHNhbHRzYWx0c2FsdA$AAAA", "no iteration count")]
    [InlineData("$pbkdf2-sha256$i=1000$c2FsdHNhbHRzYWx0c2FsdA$AAAA", "at least 10000")]
    [InlineData("$pbkdf2-sha256$i=10000$c2FsdA$AAAA", "no salt of at least 16 bytes")]
    [InlineData("$pbkdf2-sha256$i=10000$c2FsdHNhbHRzYWx0c2FsdA$AAAA", "no 32-byte hash")]
    public void TryParse_BadHash_SaysWhy(string text, string reason)
    {
        Assert.False(PasswordHash.TryParse(text, out _, out var error));
        Assert.Contains(reason, error, StringComparison.Ordinal);
    }

    [Fact]
    public void Hash_TooFewIterations_Throws() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => PasswordHash.Hash("pw", 1000));
}
