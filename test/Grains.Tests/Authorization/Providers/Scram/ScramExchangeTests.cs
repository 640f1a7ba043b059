using System.Text;
using Bifro.Grains.Authorization.Providers.Scram;
using Bifro.TestKit;
using Xunit;

namespace Bifro.Grains.Tests.Authorization.Providers.Scram;

public sealed class ScramExchangeTests
{
    [Fact]
    public void Exchange_Rfc7677Example_ServerFirstAndFinalAsInTheRfc()
    {
        Assert.True(ScramExchange.TryParseClientFirst("n,,n=user,r=rOprNGfwEbeRWgbNEkqO"u8, out var gs2, out var user, out var nonce, out var bare, out var error), error);
        var exchange = ScramExchange.Start(gs2, user, nonce, bare, ScramSha256Tests.Pencil, ScramSha256Tests.ServerNonce);

        Assert.Equal(ScramSha256Tests.ServerFirst, exchange.ServerFirst);
        Assert.True(exchange.TryFinish(Encoding.UTF8.GetBytes(ScramSha256Tests.ClientFinal), out var serverFinal, out error), error);
        Assert.Equal(ScramSha256Tests.ServerFinal, serverFinal);
    }

    [Fact]
    public void Exchange_WithTheTestClient_BothSidesVerify()
    {
        var credential = ScramSha256.CreateCredential("s3cret");
        var client = new ScramClient("alice", "s3cret");
        var exchange = Start(client.ClientFirst(), credential);

        var final = client.ClientFinal(Encoding.UTF8.GetBytes(exchange.ServerFirst));

        Assert.True(exchange.TryFinish(final, out var serverFinal, out var error), error);
        Assert.True(client.VerifyServerFinal(Encoding.UTF8.GetBytes(serverFinal)));
    }

    [Fact]
    public void Exchange_WrongPassword_ProofDoesNotVerify()
    {
        var exchange = Start(new ScramClient("alice", "x").ClientFirst(), ScramSha256.CreateCredential("s3cret"));
        var wrong = new ScramClient("alice", "guess", Nonce(exchange));

        Assert.False(exchange.TryFinish(wrong.ClientFinal(Encoding.UTF8.GetBytes(exchange.ServerFirst)), out _, out var error));
        Assert.Contains("proof", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Exchange_NonceChanged_Refused()
    {
        var credential = ScramSha256.CreateCredential("s3cret");
        var client = new ScramClient("alice", "s3cret");
        var exchange = Start(client.ClientFirst(), credential);
        var final = Encoding.UTF8.GetString(client.ClientFinal(Encoding.UTF8.GetBytes(exchange.ServerFirst)));

        var replayed = final.Replace(exchange.Nonce, exchange.Nonce + "x", StringComparison.Ordinal);

        Assert.False(exchange.TryFinish(Encoding.UTF8.GetBytes(replayed), out _, out var error));
        Assert.Contains("nonce", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Exchange_ChannelBindingNotTheHeader_Refused()
    {
        var exchange = Start("n,,n=alice,r=abc"u8.ToArray(), ScramSha256.CreateCredential("s3cret"));

        // "eSws" is base64("y,,"): the header sent was "n,,".
        Assert.False(exchange.TryFinish(Encoding.UTF8.GetBytes($"c=eSws,r={exchange.Nonce},p=AAAA"), out _, out var error));
        Assert.Contains("channel binding", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("n,,n=a=2Cb=3Dc,r=x", "a,b=c")]
    [InlineData("y,,n=alice,r=x,ext=1", "alice")]
    [InlineData("n,a=alice,n=alice,r=x", "alice")]
    public void TryParseClientFirst_Valid_UserUnescaped(string message, string expectedUser)
    {
        Assert.True(ScramExchange.TryParseClientFirst(Encoding.UTF8.GetBytes(message), out _, out var user, out _, out _, out var error), error);
        Assert.Equal(expectedUser, user);
    }

    [Theory]
    [InlineData("p=tls-unique,,n=alice,r=x", "Channel binding")]
    [InlineData("x,,n=alice,r=x", "gs2-cbind-flag")]
    [InlineData("n,,m=ext,n=alice,r=x", "Mandatory extensions")]
    [InlineData("n,,n=,r=x", "user name")]
    [InlineData("n,,n=a=zzb,r=x", "user name")]
    [InlineData("n,,n=alice,r=", "nonce")]
    [InlineData("n,,n=alice", "n= and r=")]
    [InlineData("n,a=bob,n=alice,r=x", "authorization identity")]
    [InlineData("nothing", "gs2 header")]
    public void TryParseClientFirst_Bad_SaysWhy(string message, string expected)
    {
        Assert.False(ScramExchange.TryParseClientFirst(Encoding.UTF8.GetBytes(message), out _, out _, out _, out _, out var error));
        Assert.Contains(expected, error, StringComparison.Ordinal);
    }

    [Fact]
    public void TryParseClientFirst_NotUtf8_Refused() =>
        Assert.False(ScramExchange.TryParseClientFirst([0x6E, 0x2C, 0x2C, 0xFF], out _, out _, out _, out _, out _));

    private static ScramExchange Start(byte[] clientFirst, ScramCredential credential)
    {
        Assert.True(ScramExchange.TryParseClientFirst(clientFirst, out var gs2, out var user, out var nonce, out var bare, out var error), error);
        return ScramExchange.Start(gs2, user, nonce, bare, credential);
    }

    // The client nonce of an exchange: what precedes the server's 24 base64 characters.
    private static string Nonce(ScramExchange exchange) => exchange.Nonce[..^24];
}
