using System.Text;
using Bifro.Configuration;
using Bifro.Grains.Authorization.Providers;
using Bifro.Grains.Authorization.Providers.Scram;
using Bifro.TestKit;
using Xunit;

namespace Bifro.Grains.Tests.Authorization.Providers.Scram;

/// <summary>The scram provider over the file store: the two steps, refusals, and plain passwords.</summary>
public sealed class ScramAuthProviderTests
{
    private static readonly string Credential = ScramSha256.CreateCredential("s3cret").ToString();

    [Fact]
    public async Task Exchange_RightPassword_OkWithTenantAndServerSignature()
    {
        var provider = Create();
        var client = new ScramClient("alice", "s3cret");

        var first = await provider.AuthenticateAsync(Request(client.ClientFirst()), default);
        Assert.Equal(AuthResultKind.Continue, first.Kind);
        var final = await provider.ContinueAuthenticationAsync(Continuation(client.ClientFinal(first.AuthenticationData!), first.State), default);

        Assert.Equal(AuthResultKind.Ok, final.Kind);
        Assert.Equal("acme", final.TenantId);
        Assert.Equal("alice", final.UserId);
        Assert.Equal("ops", final.Attributes!["role"]);
        Assert.True(client.VerifyServerFinal(final.AuthenticationData!));
    }

    [Fact]
    public async Task Exchange_WrongPassword_BadUserNameOrPassword()
    {
        var provider = Create();
        var client = new ScramClient("alice", "wrong");

        var first = await provider.AuthenticateAsync(Request(client.ClientFirst()), default);
        var final = await provider.ContinueAuthenticationAsync(Continuation(client.ClientFinal(first.AuthenticationData!), first.State), default);

        Assert.Equal(AuthResultKind.Rejected, final.Kind);
        Assert.Equal(AuthRejectCode.BadUserNameOrPassword, final.RejectCode);
    }

    [Fact]
    public async Task Exchange_UnknownUser_LooksLikeAnyOtherUntilTheProof()
    {
        var provider = Create();
        var client = new ScramClient("nobody", "s3cret");

        var first = await provider.AuthenticateAsync(Request(client.ClientFirst()), default);
        var again = await provider.AuthenticateAsync(Request(new ScramClient("nobody", "x").ClientFirst()), default);
        var final = await provider.ContinueAuthenticationAsync(Continuation(client.ClientFinal(first.AuthenticationData!), first.State), default);

        Assert.Equal(AuthResultKind.Continue, first.Kind);
        Assert.Equal(Salt(first), Salt(again)); // a stable salt: asking twice does not reveal that the user is made up
        Assert.Equal(AuthRejectCode.BadUserNameOrPassword, final.RejectCode);
    }

    [Fact]
    public async Task Exchange_UserWithoutScramCredentials_Refused()
    {
        var provider = Create();
        var client = new ScramClient("bob", "s3cret");

        var first = await provider.AuthenticateAsync(Request(client.ClientFirst()), default);
        var final = await provider.ContinueAuthenticationAsync(Continuation(client.ClientFinal(first.AuthenticationData!), first.State), default);

        Assert.Equal(AuthRejectCode.BadUserNameOrPassword, final.RejectCode);
    }

    [Fact]
    public async Task Authenticate_OtherMethod_BadAuthenticationMethod()
    {
        var result = await Create().AuthenticateAsync(Request("n,,n=alice,r=x"u8.ToArray(), method: "SCRAM-SHA-1"), default);

        Assert.Equal(AuthRejectCode.BadAuthenticationMethod, result.RejectCode);
    }

    [Fact]
    public async Task Authenticate_MalformedClientFirst_NotAuthorized()
    {
        var result = await Create().AuthenticateAsync(Request("hello"u8.ToArray()), default);

        Assert.Equal(AuthRejectCode.NotAuthorized, result.RejectCode);
    }

    [Fact]
    public async Task Authenticate_UserNameDiffersFromScramName_NotAuthorized()
    {
        var result = await Create().AuthenticateAsync(Request(new ScramClient("alice", "s3cret").ClientFirst(), username: "bob"), default);

        Assert.Equal(AuthRejectCode.NotAuthorized, result.RejectCode);
    }

    [Theory]
    [InlineData("s3cret", AuthResultKind.Ok)]
    [InlineData("wrong", AuthResultKind.Rejected)]
    public async Task Authenticate_PlainPasswordAgainstScramCredentials(string password, AuthResultKind expected)
    {
        var result = await Create().AuthenticateAsync(new AuthRequest { Username = "alice", Password = Encoding.UTF8.GetBytes(password) }, default);

        Assert.Equal(expected, result.Kind);
    }

    [Fact]
    public async Task Authenticate_PlainPasswordNotAllowed_NotAuthorized()
    {
        var result = await Create(allowPlain: false).AuthenticateAsync(new AuthRequest { Username = "alice", Password = "s3cret"u8.ToArray() }, default);

        Assert.Equal(AuthRejectCode.NotAuthorized, result.RejectCode);
    }

    [Fact]
    public async Task CheckPermission_GoesToTheStoreRules()
    {
        var provider = Create();
        var client = new ClientInfo { TenantId = "acme", UserId = "alice", ClientId = "c" };

        Assert.True((await provider.CheckPermissionAsync(client, MqttAction.Publish("open/x", 0, false), default)).IsGranted);
        Assert.False((await provider.CheckPermissionAsync(client, MqttAction.Publish("closed/x", 0, false), default)).IsGranted);
    }

    [Fact]
    public async Task Continue_WithoutState_Error()
    {
        var result = await Create().ContinueAuthenticationAsync(Continuation([], null), default);

        Assert.Equal(AuthRejectCode.Error, result.RejectCode);
    }

    private static ScramAuthProvider Create(bool allowPlain = true)
    {
        var store = FileAuthProvider.Parse($$"""
            {
              "users": [
                { "username": "alice", "scram": "{{Credential}}", "tenant": "acme", "attributes": { "role": "ops" } },
                { "username": "bob", "password": "{{PasswordHash.Hash("s3cret", PasswordHash.MinimumIterations)}}" }
              ],
              "acl": [ { "effect": "allow", "actions": ["publish"], "topics": ["open/#"] } ]
            }
            """);
        return new ScramAuthProvider(store, store, new ScramAuthOptions { Store = "file", AllowPlainPassword = allowPlain });
    }

    private static AuthRequest Request(byte[] data, string method = ScramSha256.Mechanism, string? username = null) =>
        new() { ProtocolVersion = 5, ClientId = "c", Username = username, AuthenticationMethod = method, AuthenticationData = data };

    private static AuthContinuation Continuation(byte[] data, object? state) => new()
    {
        Request = Request([]),
        AuthenticationMethod = ScramSha256.Mechanism,
        AuthenticationData = data,
        State = state,
    };

    private static string Salt(AuthResult serverFirst) =>
        Encoding.UTF8.GetString(serverFirst.AuthenticationData!).Split(',').Single(a => a.StartsWith("s=", StringComparison.Ordinal));
}
