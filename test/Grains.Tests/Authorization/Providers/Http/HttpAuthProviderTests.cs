using System.Text;
using System.Text.Json.Nodes;
using Bifro.Configuration;
using Bifro.Grains.Authorization.Providers.Http;
using Bifro.TestKit;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Xunit;

namespace Bifro.Grains.Tests.Authorization.Providers.Http;

/// <summary>The http provider against a small HTTP server on 127.0.0.1: the JSON contract, both caches, and failing closed.</summary>
public sealed class HttpAuthProviderTests
{
    private static readonly TimeSpan Positive = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan Negative = TimeSpan.FromSeconds(5);

    private readonly ManualTimeProvider _time = new();

    [Fact(Timeout = 30_000)]
    public async Task Authenticate_Ok_TenantUserAttributesAndTheRequestCarriesTheClient()
    {
        await using var server = TestHttpServer.Start((_, _) => (200, """{ "result": "ok", "tenant": "acme", "user": "alice-id", "attributes": { "role": "ops" } }"""));
        using var provider = Create(server);

        var result = await provider.AuthenticateAsync(new AuthRequest
        {
            ProtocolVersion = 5,
            Username = "alice",
            Password = "s3cret"u8.ToArray(),
            ClientId = "dev-1",
            ListenerName = "tls",
            RemoteAddress = "10.0.0.7",
            RemotePort = 40000,
            UserProperties = [new("region", "eu")],
        }, default);

        Assert.Equal(AuthResultKind.Ok, result.Kind);
        Assert.Equal("acme", result.TenantId);
        Assert.Equal("alice-id", result.UserId);
        Assert.Equal("ops", result.Attributes!["role"]);
        var body = Assert.Single(server.Requests).Body;
        Assert.Equal("alice", (string?)body["username"]);
        Assert.Equal("s3cret", (string?)body["password"]);
        Assert.Equal(Convert.ToBase64String("s3cret"u8), (string?)body["passwordBase64"]);
        Assert.Equal("dev-1", (string?)body["clientId"]);
        Assert.Equal("tls", (string?)body["listener"]);
        Assert.Equal("10.0.0.7", (string?)body["remoteAddress"]);
        Assert.Equal(40000, (int?)body["remotePort"]);
        Assert.Equal(5, (int?)body["protocolVersion"]);
        Assert.Equal("eu", (string?)body["userProperties"]![0]!["value"]);
        Assert.Null(body["certificate"]);
    }

    [Fact(Timeout = 30_000)]
    public async Task Authenticate_OkWithoutTenantOrUser_DefaultTenantAndTheUserName()
    {
        await using var server = TestHttpServer.Start((_, _) => (200, """{ "result": "ok" }"""));
        using var provider = Create(server);

        var result = await provider.AuthenticateAsync(Request("alice", "pw"), default);

        Assert.Equal(SessionKey.DefaultTenant, result.TenantId);
        Assert.Equal("alice", result.UserId);
    }

    [Theory(Timeout = 30_000)]
    [InlineData("bad_credentials", AuthResultKind.Rejected, AuthRejectCode.BadUserNameOrPassword)]
    [InlineData("not_authorized", AuthResultKind.Rejected, AuthRejectCode.NotAuthorized)]
    [InlineData("banned", AuthResultKind.Banned, AuthRejectCode.BadUserNameOrPassword)]
    public async Task Authenticate_Refusals_Mapped(string answer, AuthResultKind kind, AuthRejectCode code)
    {
        await using var server = TestHttpServer.Start((_, _) => (200, $$"""{ "result": "{{answer}}", "reason": "because" }"""));
        using var provider = Create(server);

        var result = await provider.AuthenticateAsync(Request("alice", "pw"), default);

        Assert.Equal(kind, result.Kind);
        if (kind == AuthResultKind.Rejected)
        {
            Assert.Equal(code, result.RejectCode);
        }
    }

    [Fact(Timeout = 30_000)]
    public async Task Authenticate_PositiveCache_OneRequestUntilTheTtl()
    {
        await using var server = TestHttpServer.Start((_, _) => (200, """{ "result": "ok" }"""));
        using var provider = Create(server);

        await provider.AuthenticateAsync(Request("alice", "pw"), default);
        await provider.AuthenticateAsync(Request("alice", "pw", port: 50001), default); // another source port: the same answer
        Assert.Single(server.Requests);

        await provider.AuthenticateAsync(Request("alice", "other"), default); // another password is another question
        Assert.Equal(2, server.Requests.Count);

        _time.Advance(Positive);
        await provider.AuthenticateAsync(Request("alice", "pw"), default);
        Assert.Equal(3, server.Requests.Count);
    }

    [Fact(Timeout = 30_000)]
    public async Task Authenticate_NegativeCache_ShorterTtl()
    {
        await using var server = TestHttpServer.Start((_, _) => (200, """{ "result": "bad_credentials" }"""));
        using var provider = Create(server);

        await provider.AuthenticateAsync(Request("alice", "guess"), default);
        await provider.AuthenticateAsync(Request("alice", "guess"), default);
        Assert.Single(server.Requests);

        _time.Advance(Negative);
        await provider.AuthenticateAsync(Request("alice", "guess"), default);
        Assert.Equal(2, server.Requests.Count);
    }

    [Theory(Timeout = 30_000)]
    [InlineData(500, """{ "result": "ok" }""")]
    [InlineData(403, """{ "result": "ok" }""")]
    [InlineData(302, """{ "result": "ok" }""")]
    [InlineData(200, "not json")]
    [InlineData(200, """{ "result": "maybe" }""")]
    [InlineData(200, "null")]
    public async Task Authenticate_ErrorAnswers_FailClosedAndAreNotCached(int status, string body)
    {
        await using var server = TestHttpServer.Start((_, _) => (status, body));
        using var provider = Create(server);
        var guard = Guard(provider);

        var first = await guard.AuthenticateAsync(Request("alice", "pw"));
        var second = await guard.AuthenticateAsync(Request("alice", "pw"));

        Assert.Equal(AuthRejectCode.Error, first.RejectCode);
        Assert.Equal(AuthRejectCode.Error, second.RejectCode);
        Assert.Equal(2, server.Requests.Count);
    }

    [Fact(Timeout = 30_000)]
    public async Task Authenticate_SlowServer_TimesOutAndFailsClosed()
    {
        await using var server = TestHttpServer.Start(async (_, _) =>
        {
            await Task.Delay(TimeSpan.FromSeconds(20));
            return (200, """{ "result": "ok" }""");
        });
        using var provider = Create(server, requestTimeout: TimeSpan.FromMilliseconds(300));
        var started = System.Diagnostics.Stopwatch.StartNew();

        var result = await Guard(provider).AuthenticateAsync(Request("alice", "pw"));

        Assert.Equal(AuthRejectCode.Error, result.RejectCode);
        Assert.True(started.Elapsed < TimeSpan.FromSeconds(5), $"took {started.Elapsed}");
    }

    [Fact(Timeout = 30_000)]
    public async Task Authenticate_NoServer_FailsClosed()
    {
        using var provider = new HttpAuthProvider(Options($"http://127.0.0.1:{FreePort.Next()}/auth", $"http://127.0.0.1:{FreePort.Next()}/check"), _time);

        var result = await Guard(provider).AuthenticateAsync(Request("alice", "pw"));

        Assert.Equal(AuthRejectCode.Error, result.RejectCode);
    }

    [Fact(Timeout = 30_000)]
    public async Task Authenticate_EnhancedAuthentication_BadMethodWithoutARequest()
    {
        await using var server = TestHttpServer.Start((_, _) => (200, """{ "result": "ok" }"""));
        using var provider = Create(server);

        var result = await provider.AuthenticateAsync(new AuthRequest { AuthenticationMethod = "SCRAM-SHA-256" }, default);

        Assert.Equal(AuthRejectCode.BadAuthenticationMethod, result.RejectCode);
        Assert.Empty(server.Requests);
    }

    [Fact(Timeout = 30_000)]
    public async Task Requests_CarryTheConfiguredHeaders()
    {
        await using var server = TestHttpServer.Start((_, _) => (200, """{ "result": "ok" }"""));
        var options = Options(server.Url("auth"), server.Url("check"));
        options.Headers["Authorization"] = "Bearer broker-token";
        using var provider = new HttpAuthProvider(options, _time);

        await provider.AuthenticateAsync(Request("alice", "pw"), default);

        Assert.Equal("Bearer broker-token", Assert.Single(server.Requests).Headers["Authorization"]);
    }

    [Fact(Timeout = 30_000)]
    public async Task Check_GrantedAndDenied_FromTheAnswerAndTheRequestCarriesTheAction()
    {
        await using var server = TestHttpServer.Start((_, body) =>
            (200, ((string?)body["topic"])!.StartsWith("open/", StringComparison.Ordinal) ? """{ "result": "granted" }""" : """{ "result": "denied", "reason": "closed" }"""));
        using var provider = Create(server);
        var client = new ClientInfo { TenantId = "acme", UserId = "alice", ClientId = "dev-1", Attributes = new() { ["role"] = "ops" } };

        var granted = await provider.CheckPermissionAsync(client, MqttAction.Publish("open/x", 1, true), default);
        var denied = await provider.CheckPermissionAsync(client, MqttAction.Subscribe("closed/#", 2, "workers"), default);

        Assert.True(granted.IsGranted);
        Assert.Equal(CheckDecision.Denied, denied.Decision);
        Assert.Equal("closed", denied.Reason);
        var publish = server.Requests[0].Body;
        Assert.Equal("/check", server.Requests[0].Path);
        Assert.Equal("publish", (string?)publish["action"]);
        Assert.Equal("acme", (string?)publish["tenant"]);
        Assert.Equal("alice", (string?)publish["user"]);
        Assert.Equal(1, (int?)publish["qos"]);
        Assert.True((bool?)publish["retain"]);
        Assert.Equal("ops", (string?)publish["attributes"]!["role"]);
        Assert.Equal("workers", (string?)server.Requests[1].Body["shareGroup"]);
        Assert.Null(server.Requests[1].Body["retain"]);
    }

    [Fact(Timeout = 30_000)]
    public async Task Check_Caches_GrantedLongerThanDenied()
    {
        await using var server = TestHttpServer.Start((_, body) =>
            (200, (string?)body["topic"] == "open/x" ? """{ "result": "granted" }""" : """{ "result": "denied" }"""));
        using var provider = Create(server);
        var client = new ClientInfo { TenantId = "acme", UserId = "alice", ClientId = "c" };

        for (var i = 0; i < 3; i++)
        {
            await provider.CheckPermissionAsync(client, MqttAction.Publish("open/x", 0, false), default);
            await provider.CheckPermissionAsync(client, MqttAction.Publish("closed/x", 0, false), default);
        }

        Assert.Equal(2, server.Requests.Count);
        _time.Advance(Negative);
        await provider.CheckPermissionAsync(client, MqttAction.Publish("open/x", 0, false), default);
        await provider.CheckPermissionAsync(client, MqttAction.Publish("closed/x", 0, false), default);
        Assert.Equal(3, server.Requests.Count);
    }

    [Fact(Timeout = 30_000)]
    public async Task Check_ServerError_ErrorNotCached()
    {
        await using var server = TestHttpServer.Start((_, _) => (503, "{}"));
        using var provider = Create(server);
        var client = new ClientInfo { TenantId = "acme", UserId = "alice", ClientId = "c" };

        var first = await Guard(provider).CheckPermissionAsync(client, MqttAction.Connect());
        var second = await Guard(provider).CheckPermissionAsync(client, MqttAction.Connect());

        Assert.Equal(CheckDecision.Error, first.Decision);
        Assert.Equal(CheckDecision.Error, second.Decision);
        Assert.Equal(2, server.Requests.Count);
    }

    private HttpAuthProvider Create(TestHttpServer server, TimeSpan? requestTimeout = null)
    {
        var options = Options(server.Url("auth"), server.Url("check"));
        options.RequestTimeout = requestTimeout ?? TimeSpan.FromSeconds(5);
        return new HttpAuthProvider(options, _time);
    }

    private static HttpAuthOptions Options(string authenticate, string check) => new()
    {
        AuthenticateUrl = authenticate,
        CheckPermissionUrl = check,
        CacheTtl = Positive,
        NegativeCacheTtl = Negative,
    };

    private static AuthProviderGuard Guard(IAuthProvider provider) =>
        new(provider, Microsoft.Extensions.Options.Options.Create(new AuthOptions { Provider = "http" }), TimeProvider.System, NullLogger<AuthProviderGuard>.Instance);

    private static AuthRequest Request(string user, string password, int port = 50000) =>
        new() { ProtocolVersion = 4, ClientId = "c", Username = user, Password = Encoding.UTF8.GetBytes(password), RemoteAddress = "127.0.0.1", RemotePort = port };
}
