using Bifro.Grains.Authorization.Providers.Scram;
using Xunit;

namespace Bifro.Grains.Tests.Authorization.Providers.Scram;

public sealed class ScramCredentialTests
{
    [Fact]
    public void ToString_Rfc5803Form_RoundTrips()
    {
        var credential = ScramSha256Tests.Pencil;

        var text = credential.ToString();

        Assert.StartsWith("SCRAM-SHA-256$4096:W22ZaJ0SNY7soEsUEjb6gQ==$", text, StringComparison.Ordinal);
        Assert.True(ScramCredential.TryParse(text, out var parsed, out var error), error);
        Assert.Equal(credential.Iterations, parsed.Iterations);
        Assert.Equal(credential.Salt, parsed.Salt);
        Assert.Equal(credential.StoredKey, parsed.StoredKey);
        Assert.Equal(credential.ServerKey, parsed.ServerKey);
    }

    [Theory]
    [InlineData(null, "is not of the form")]
    [InlineData("$pbkdf2-sha256$i=10000$abc$def", "is not of the form")]
    [InlineData("SCRAM-SHA-256$4096:c2FsdHNhbHRzYWx0c2FsdA==", "is not of the form")]
    [InlineData("SCRAM-SHA-256$1000:c2FsdHNhbHRzYWx0c2FsdA==$a:b", "at least 4096")]
    [InlineData("SCRAM-SHA-256$4096:c2FsdA==$a:b", "salt")]
    [InlineData("SCRAM-SHA-256$4096:c2FsdHNhbHRzYWx0c2FsdA==$!!:b", "StoredKey")]
    public void TryParse_Bad_SaysWhy(string? text, string expected)
    {
        Assert.False(ScramCredential.TryParse(text, out _, out var error));
        Assert.Contains(expected, error, StringComparison.Ordinal);
    }
}
