using Bifro.Grains.Authorization.Providers.Scram;
using Xunit;

namespace Bifro.Grains.Tests.Authorization.Providers.Scram;

/// <summary>RFC 4013 §3's examples that do not need NFKC, and the mapping and prohibition steps.</summary>
public sealed class SaslPrepTests
{
    [Theory]
    [InlineData("I\u00ADX", "IX")] // soft hyphen mapped to nothing
    [InlineData("user", "user")]
    [InlineData("USER", "USER")] // case preserved
    [InlineData("a\u00A0b", "a b")] // non-ASCII space to SPACE
    [InlineData("a\u200Bb", "a b")] // zero width space is in C.1.2
    [InlineData("p\u00E4ss", "p\u00E4ss")]
    [InlineData("\U0001F600x", "\U0001F600x")] // a surrogate pair that is allowed
    public void Prepare_MapsAsTheRfcSays(string input, string expected) =>
        Assert.Equal(expected, SaslPrep.Prepare(input));

    [Theory]
    [InlineData("\u0007")] // ASCII control (RFC 4013 example 5)
    [InlineData("a\u007Fb")]
    [InlineData("a\u0085b")] // non-ASCII control
    [InlineData("a\uE000b")] // private use
    [InlineData("a\uFFFEb")] // non-character
    [InlineData("a\uD800b")] // lone surrogate
    [InlineData("a\u200Eb")] // changes display properties
    public void Prepare_Prohibited_Null(string input) =>
        Assert.Null(SaslPrep.Prepare(input));
}
