using System.Text;
using Bifro.Grains.Authorization.Providers.Scram;
using Xunit;

namespace Bifro.Grains.Tests.Authorization.Providers.Scram;

/// <summary>The primitives against RFC 7677 §3's example (user "user", password "pencil", 4096 iterations).</summary>
public sealed class ScramSha256Tests
{
    internal const string ClientNonce = "rOprNGfwEbeRWgbNEkqO";
    internal const string ServerNonce = "%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0";
    internal const string Salt = "W22ZaJ0SNY7soEsUEjb6gQ==";
    internal const string ServerFirst = "r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096";
    internal const string ClientFinal = "c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=";
    internal const string ServerFinal = "v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=";

    internal static ScramCredential Pencil => ScramSha256.CreateCredential("pencil", 4096, Convert.FromBase64String(Salt));

    [Fact]
    public void ServerFinal_Rfc7677Example_MatchesTheRfc()
    {
        var authMessage = "n=user,r=" + ClientNonce + "," + ServerFirst + "," + ClientFinal[..ClientFinal.IndexOf(",p=", StringComparison.Ordinal)];

        Assert.Equal(ServerFinal, ScramSha256.ServerFinal(Pencil, authMessage));
    }

    [Fact]
    public void VerifyProof_Rfc7677ClientProof_Verifies()
    {
        var withoutProof = ClientFinal[..ClientFinal.IndexOf(",p=", StringComparison.Ordinal)];
        var authMessage = "n=user,r=" + ClientNonce + "," + ServerFirst + "," + withoutProof;
        var proof = Convert.FromBase64String(ClientFinal[(ClientFinal.IndexOf(",p=", StringComparison.Ordinal) + 3)..]);

        Assert.True(ScramSha256.VerifyProof(Pencil, authMessage, proof));
        proof[0] ^= 1;
        Assert.False(ScramSha256.VerifyProof(Pencil, authMessage, proof));
    }

    [Fact]
    public void VerifyProof_WrongLength_False() =>
        Assert.False(ScramSha256.VerifyProof(Pencil, "x", new byte[31]));

    [Fact]
    public void StoredKey_IsTheHashOfClientKey()
    {
        var salted = ScramSha256.SaltedPassword("pencil"u8, Convert.FromBase64String(Salt), 4096);

        Assert.Equal(ScramSha256.StoredKey(ScramSha256.ClientKey(salted)), Pencil.StoredKey);
        Assert.Equal(ScramSha256.ServerKey(salted), Pencil.ServerKey);
        Assert.NotEqual(Pencil.StoredKey, Pencil.ServerKey);
    }

    [Theory]
    [InlineData("pencil", true)]
    [InlineData("pencil ", false)]
    [InlineData("Pencil", false)]
    [InlineData("", false)]
    public void VerifyPassword_PlainPasswordAgainstStoredKey(string password, bool expected) =>
        Assert.Equal(expected, ScramSha256.VerifyPassword(Encoding.UTF8.GetBytes(password), Pencil));

    [Fact]
    public void VerifyPassword_NotUtf8_False() =>
        Assert.False(ScramSha256.VerifyPassword([0xFF, 0xFE], Pencil));

    [Fact]
    public void CreateCredential_NewSaltEachTime()
    {
        var first = ScramSha256.CreateCredential("pencil");
        var second = ScramSha256.CreateCredential("pencil");

        Assert.Equal(ScramSha256.DefaultIterations, first.Iterations);
        Assert.Equal(ScramSha256.SaltBytes, first.Salt.Length);
        Assert.NotEqual(first.Salt, second.Salt);
        Assert.NotEqual(first.StoredKey, second.StoredKey);
    }

    [Fact]
    public void CreateCredential_TooFewIterations_Throws() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => ScramSha256.CreateCredential("pencil", 4095));
}
