using Bifro.Silo.Admin;
using Bifro.Silo.Configuration;
using Microsoft.AspNetCore.Http;
using Xunit;

namespace Bifro.Silo.Tests.Admin;

public sealed class AdminAuthenticationTests
{
    private const string Token = "first-token-0123456789";
    private const string Other = "second-token-0123456789";

    [Fact(Timeout = 10_000)]
    public async Task Check_NoAuthorizationHeader_Refused()
    {
        await Task.Yield();
        var authentication = new AdminAuthentication(new AdminOptions { Tokens = [Token] });

        Assert.Contains("bearer token is required", authentication.Check(Request(null)), StringComparison.Ordinal);
    }

    [Theory(Timeout = 10_000)]
    [InlineData("Bearer wrong-token-0123456789")]
    [InlineData("Bearer first-token-012345678")]
    [InlineData("Bearer first-token-01234567890")]
    [InlineData("Basic Zmlyc3QtdG9rZW4=")]
    [InlineData("Bearer ")]
    public async Task Check_WrongOrMalformedToken_Refused(string header)
    {
        await Task.Yield();
        var authentication = new AdminAuthentication(new AdminOptions { Tokens = [Token] });

        Assert.NotNull(authentication.Check(Request(header)));
    }

    [Theory(Timeout = 10_000)]
    [InlineData("Bearer " + Token)]
    [InlineData("bearer " + Token)]
    [InlineData("Bearer " + Other)]
    public async Task Check_AnyConfiguredToken_Accepted(string header)
    {
        await Task.Yield();
        var authentication = new AdminAuthentication(new AdminOptions { Tokens = [Token, Other] });

        Assert.Null(authentication.Check(Request(header)));
        Assert.False(authentication.IsOpen);
    }

    [Fact(Timeout = 10_000)]
    public async Task Check_NoCredentialsConfigured_Open()
    {
        await Task.Yield();
        var authentication = new AdminAuthentication(new AdminOptions());

        Assert.True(authentication.IsOpen);
        Assert.Null(authentication.Check(Request(null)));
    }

    [Fact(Timeout = 10_000)]
    public async Task Check_ClientCaWithoutClientCertificate_Refused()
    {
        await Task.Yield();
        var authentication = new AdminAuthentication(new AdminOptions { Tls = new AdminTlsOptions { Enabled = true, ClientCaPath = "ca.pem" } });

        Assert.False(authentication.IsOpen);
        Assert.Contains("client certificate", authentication.Check(Request($"Bearer {Token}")), StringComparison.Ordinal);
    }

    private static DefaultHttpContext Request(string? authorization)
    {
        var context = new DefaultHttpContext();
        if (authorization is not null)
        {
            context.Request.Headers.Authorization = authorization;
        }

        return context;
    }
}
