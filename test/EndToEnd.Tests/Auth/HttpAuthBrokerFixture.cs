using System.Text.Json.Nodes;
using Bifro.TestKit;
using Xunit;

namespace Bifro.EndToEnd.Tests.Auth;

/// <summary>
/// A small auth service on 127.0.0.1 (HttpListener, in the test process) and a node with the http provider
/// calling it, with a 1-second request timeout, a 30-second positive and a 2-second negative cache. The
/// service answers by user name (password "secret"): alice (acme) and bob (globex) are ok, mallory is
/// not_authorized, eve is banned, broken gets HTTP 500, garbage gets a body that is not JSON, slow is
/// answered after 3 seconds; anything else is bad_credentials. Checks: connect, and anything under open/# or
/// users/{user}/#, are granted; the rest denied.
/// </summary>
public sealed class HttpAuthBrokerFixture : IAsyncLifetime
{
    public const string Password = "secret";

    public TestHttpServer Service { get; private set; } = null!;

    public BrokerProcess Broker { get; private set; } = null!;

    /// <summary>How many authentication requests the service received for <paramref name="username"/>.</summary>
    public int AuthenticationsOf(string username) =>
        Service.Requests.Count(r => r.Path == "/auth" && (string?)r.Body["username"] == username);

    public async Task InitializeAsync()
    {
        Service = TestHttpServer.Start(AnswerAsync);
        Broker = await BrokerProcess.StartAsync(
            null,
            "--auth", "http",
            $"--Bifro:Auth:Http:AuthenticateUrl={Service.Url("auth")}",
            $"--Bifro:Auth:Http:CheckPermissionUrl={Service.Url("check")}",
            "--Bifro:Auth:Http:RequestTimeout=00:00:01",
            "--Bifro:Auth:Http:CacheTtl=00:00:30",
            "--Bifro:Auth:Http:NegativeCacheTtl=00:00:02",
            "--Bifro:Auth:Http:Headers:Authorization=Bearer broker-token",
            "--Bifro:Auth:FailedConnectDelayMin=00:00:00",
            "--Bifro:Auth:FailedConnectDelayMax=00:00:00.05");
    }

    public async Task DisposeAsync()
    {
        await Broker.DisposeAsync();
        await Service.DisposeAsync();
    }

    private static async Task<(int Status, string Body)> AnswerAsync(string path, JsonObject body)
    {
        if (path == "/check")
        {
            var user = (string?)body["user"];
            var topic = (string?)body["topic"] ?? string.Empty;
            var granted = (string?)body["action"] == "connect" || topic.StartsWith("open/", StringComparison.Ordinal) || topic.StartsWith($"users/{user}/", StringComparison.Ordinal);
            return (200, granted ? """{ "result": "granted" }""" : """{ "result": "denied", "reason": "not yours" }""");
        }

        var username = (string?)body["username"];
        var rightPassword = (string?)body["password"] == Password;
        switch (username)
        {
            case "alice" or "cachy" when rightPassword:
                return (200, """{ "result": "ok", "tenant": "acme", "attributes": { "role": "ops" } }""");
            case "bob" when rightPassword:
                return (200, """{ "result": "ok", "tenant": "globex" }""");
            case "mallory":
                return (200, """{ "result": "not_authorized" }""");
            case "eve":
                return (200, """{ "result": "banned", "reason": "too many attempts" }""");
            case "broken":
                return (500, """{ "error": "database down" }""");
            case "garbage":
                return (200, "<html>not json</html>");
            case "slow":
                await Task.Delay(TimeSpan.FromSeconds(3));
                return (200, """{ "result": "ok" }""");
            default:
                return (200, """{ "result": "bad_credentials" }""");
        }
    }
}
