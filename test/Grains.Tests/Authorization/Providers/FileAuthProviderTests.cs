using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Bifro.Grains.Authorization.Providers;
using Xunit;

namespace Bifro.Grains.Tests.Authorization.Providers;

public sealed class FileAuthProviderTests
{
    private static readonly string Secret = PasswordHash.Hash("secret", PasswordHash.MinimumIterations);

    [Fact]
    public async Task Authenticate_RightPassword_OkWithTenantAndAttributes()
    {
        var provider = Parse(Users("""{ "username": "alice", "password": "HASH", "tenant": "acme", "attributes": { "role": "ops" } }"""));

        var result = await provider.AuthenticateAsync(Request("alice", "secret"), default);

        Assert.Equal(AuthResultKind.Ok, result.Kind);
        Assert.Equal("acme", result.TenantId);
        Assert.Equal("alice", result.UserId);
        Assert.Equal("ops", result.Attributes!["role"]);
    }

    [Fact]
    public async Task Authenticate_NoTenant_DefaultTenant()
    {
        var provider = Parse(Users("""{ "username": "alice", "password": "HASH" }"""));

        var result = await provider.AuthenticateAsync(Request("alice", "secret"), default);

        Assert.Equal(SessionKey.DefaultTenant, result.TenantId);
    }

    [Theory]
    [InlineData("alice", "wrong", AuthRejectCode.BadUserNameOrPassword)]
    [InlineData("mallory", "secret", AuthRejectCode.BadUserNameOrPassword)]
    [InlineData("alice", null, AuthRejectCode.BadUserNameOrPassword)]
    [InlineData(null, null, AuthRejectCode.NotAuthorized)]
    public async Task Authenticate_BadCredentials_Rejected(string? user, string? password, AuthRejectCode code)
    {
        var provider = Parse(Users("""{ "username": "alice", "password": "HASH" }"""));

        var result = await provider.AuthenticateAsync(Request(user, password), default);

        Assert.Equal(AuthResultKind.Rejected, result.Kind);
        Assert.Equal(code, result.RejectCode);
    }

    [Fact]
    public async Task Authenticate_EnhancedAuthenticationMethod_BadAuthenticationMethod()
    {
        var provider = Parse(Users("""{ "username": "alice", "password": "HASH" }"""));
        var request = new AuthRequest { Username = "alice", Password = "secret"u8.ToArray(), AuthenticationMethod = "SCRAM-SHA-256" };

        var result = await provider.AuthenticateAsync(request, default);

        Assert.Equal(AuthRejectCode.BadAuthenticationMethod, result.RejectCode);
    }

    [Fact]
    public async Task Authenticate_CertificateCommonNameAsUsername_OkWithoutPassword()
    {
        var provider = Parse("""{ "certificateUsername": "cn", "users": [ { "username": "sensor-17", "certificate": true, "tenant": "plant" } ] }""");
        using var certificate = Certificate("sensor-17");

        var result = await provider.AuthenticateAsync(new AuthRequest { Username = "ignored", ClientCertificate = certificate.RawData }, default);

        Assert.Equal(AuthResultKind.Ok, result.Kind);
        Assert.Equal("sensor-17", result.UserId);
        Assert.Equal("plant", result.TenantId);
    }

    [Fact]
    public async Task Authenticate_CertificateNameOfPasswordUser_StillNeedsPassword()
    {
        var provider = Parse("""{ "certificateUsername": "cn", "users": [ { "username": "alice", "password": "HASH" } ] }""".Replace("HASH", Secret, StringComparison.Ordinal));
        using var certificate = Certificate("alice");

        var without = await provider.AuthenticateAsync(new AuthRequest { ClientCertificate = certificate.RawData }, default);
        var with = await provider.AuthenticateAsync(new AuthRequest { ClientCertificate = certificate.RawData, Password = "secret"u8.ToArray() }, default);

        Assert.Equal(AuthResultKind.Rejected, without.Kind);
        Assert.Equal(AuthResultKind.Ok, with.Kind);
    }

    [Fact]
    public async Task Authenticate_CertificateUserWithoutCertificate_Rejected()
    {
        var provider = Parse("""{ "certificateUsername": "cn", "users": [ { "username": "sensor-17", "certificate": true } ] }""");

        var result = await provider.AuthenticateAsync(Request("sensor-17", "anything"), default);

        Assert.Equal(AuthResultKind.Rejected, result.Kind);
    }

    [Fact]
    public void Check_FirstMatchingRuleWins_DenyBeforeAllow()
    {
        var provider = Parse(Acl(
            """{ "effect": "deny", "actions": ["publish"], "topics": ["sensors/secret/#"] }""",
            """{ "effect": "allow", "actions": ["publish"], "topics": ["sensors/#"] }"""));

        Assert.True(provider.Check(Client(), MqttAction.Publish("sensors/a", 0, false)).IsGranted);
        Assert.Equal(CheckDecision.Denied, provider.Check(Client(), MqttAction.Publish("sensors/secret/a", 0, false)).Decision);
    }

    [Fact]
    public void Check_AllowBeforeDeny_AllowWins()
    {
        var provider = Parse(Acl(
            """{ "effect": "allow", "actions": ["publish"], "user": "alice", "topics": ["sensors/secret/#"] }""",
            """{ "effect": "deny", "actions": ["publish"], "topics": ["sensors/secret/#"] }"""));

        Assert.True(provider.Check(Client("alice"), MqttAction.Publish("sensors/secret/a", 0, false)).IsGranted);
        Assert.False(provider.Check(Client("bob"), MqttAction.Publish("sensors/secret/a", 0, false)).IsGranted);
    }

    [Fact]
    public void Check_NoRuleMatches_ConnectAndUnsubscribeGrantedPublishAndSubscribeDenied()
    {
        var provider = Parse(Acl());

        Assert.True(provider.Check(Client(), MqttAction.Connect()).IsGranted);
        Assert.True(provider.Check(Client(), MqttAction.Unsubscribe("a")).IsGranted);
        Assert.False(provider.Check(Client(), MqttAction.Publish("a", 0, false)).IsGranted);
        Assert.False(provider.Check(Client(), MqttAction.Subscribe("a", 0)).IsGranted);
    }

    [Fact]
    public void Check_DenyConnectForUser_Denied()
    {
        var provider = Parse(Acl("""{ "effect": "deny", "actions": ["connect"], "user": "mallory" }"""));

        Assert.False(provider.Check(Client("mallory"), MqttAction.Connect()).IsGranted);
        Assert.True(provider.Check(Client("alice"), MqttAction.Connect()).IsGranted);
    }

    [Fact]
    public void Check_Placeholders_UserClientAndTenant()
    {
        var provider = Parse(Acl("""{ "effect": "allow", "actions": ["publish", "subscribe"], "topics": ["users/%u/#", "clients/%c/#", "tenants/%t/+"] }"""));
        var alice = Client("alice", "dev-1", "acme");

        Assert.True(provider.Check(alice, MqttAction.Publish("users/alice/x", 1, false)).IsGranted);
        Assert.False(provider.Check(alice, MqttAction.Publish("users/bob/x", 1, false)).IsGranted);
        Assert.True(provider.Check(alice, MqttAction.Subscribe("clients/dev-1/#", 1)).IsGranted);
        Assert.False(provider.Check(alice, MqttAction.Subscribe("clients/#", 1)).IsGranted);
        Assert.True(provider.Check(alice, MqttAction.Publish("tenants/acme/x", 0, false)).IsGranted);
        Assert.False(provider.Check(alice, MqttAction.Publish("tenants/globex/x", 0, false)).IsGranted);
    }

    [Fact]
    public void Check_ClientIdWithWildcard_CannotWidenPlaceholderRule()
    {
        var provider = Parse(Acl("""{ "effect": "allow", "actions": ["subscribe"], "topics": ["clients/%c/#"] }"""));

        Assert.False(provider.Check(Client("alice", "#"), MqttAction.Subscribe("clients/#", 0)).IsGranted);
        Assert.False(provider.Check(Client("alice", "+"), MqttAction.Subscribe("clients/+/#", 0)).IsGranted);
    }

    [Fact]
    public void Check_SelectorsByClientIdTenantAndCertificate()
    {
        var fingerprint = new string('A', 64);
        var provider = Parse(Acl(
            """{ "effect": "allow", "actions": ["publish"], "clientId": "gateway", "topics": ["gw/#"] }""",
            """{ "effect": "allow", "actions": ["publish"], "tenant": "acme", "topics": ["acme/#"] }""",
            """{ "effect": "allow", "actions": ["publish"], "certificate": "sensor-17", "topics": ["cn/#"] }""",
            $$"""{ "effect": "allow", "actions": ["publish"], "certificate": "sha256:{{fingerprint.ToLowerInvariant()}}", "topics": ["fp/#"] }""",
            """{ "effect": "allow", "actions": ["publish"], "certificate": "*", "topics": ["anycert/#"] }"""));
        var plain = Client("u", "dev", "other");
        var gateway = Client("u", "gateway", "other");
        var acme = Client("u", "dev", "acme");
        var withCertificate = new ClientInfo { UserId = "u", ClientId = "dev", CertificateSubject = "sensor-17", CertificateFingerprint = fingerprint };

        Assert.False(provider.Check(plain, MqttAction.Publish("gw/x", 0, false)).IsGranted);
        Assert.True(provider.Check(gateway, MqttAction.Publish("gw/x", 0, false)).IsGranted);
        Assert.True(provider.Check(acme, MqttAction.Publish("acme/x", 0, false)).IsGranted);
        Assert.False(provider.Check(plain, MqttAction.Publish("acme/x", 0, false)).IsGranted);
        Assert.True(provider.Check(withCertificate, MqttAction.Publish("cn/x", 0, false)).IsGranted);
        Assert.True(provider.Check(withCertificate, MqttAction.Publish("fp/x", 0, false)).IsGranted);
        Assert.True(provider.Check(withCertificate, MqttAction.Publish("anycert/x", 0, false)).IsGranted);
        Assert.False(provider.Check(plain, MqttAction.Publish("cn/x", 0, false)).IsGranted);
        Assert.False(provider.Check(plain, MqttAction.Publish("anycert/x", 0, false)).IsGranted);
    }

    [Fact]
    public void Check_QoSAndRetainRestrictions()
    {
        var provider = Parse(Acl(
            """{ "effect": "deny", "actions": ["publish"], "retain": true }""",
            """{ "effect": "allow", "actions": ["publish", "subscribe"], "qos": [0, 1] }"""));

        Assert.True(provider.Check(Client(), MqttAction.Publish("a", 1, false)).IsGranted);
        Assert.False(provider.Check(Client(), MqttAction.Publish("a", 2, false)).IsGranted);
        Assert.False(provider.Check(Client(), MqttAction.Publish("a", 0, true)).IsGranted);
        Assert.True(provider.Check(Client(), MqttAction.Subscribe("a/#", 1)).IsGranted);
        Assert.False(provider.Check(Client(), MqttAction.Subscribe("a/#", 2)).IsGranted);
    }

    [Fact]
    public async Task Authenticate_UserWithOnlyScramCredentials_PasswordCheckedAgainstStoredKey()
    {
        var scram = Bifro.Grains.Authorization.Providers.Scram.ScramSha256.CreateCredential("secret").ToString();
        var provider = Parse(Users($$"""{ "username": "alice", "scram": "{{scram}}" }"""));

        Assert.Equal(AuthResultKind.Ok, (await provider.AuthenticateAsync(Request("alice", "secret"), default)).Kind);
        Assert.Equal(AuthRejectCode.BadUserNameOrPassword, (await provider.AuthenticateAsync(Request("alice", "wrong"), default)).RejectCode);
    }

    [Fact]
    public void Check_SharedSubscription_MatchedWithoutItsSharePrefix()
    {
        var provider = Parse(Acl("""{ "effect": "allow", "actions": ["subscribe"], "topics": ["jobs/#"] }"""));

        Assert.True(provider.Check(Client(), MqttAction.Subscribe("jobs/+", 1, "workers")).IsGranted);
        Assert.False(provider.Check(Client(), MqttAction.Subscribe("other/+", 1, "workers")).IsGranted);
    }

    [Theory]
    [InlineData("""{ "users": [ { "username": "a", "password": "plain" } ] }""", "users[0] (a): the password is not of the form")]
    [InlineData("""{ "users": [ { "username": "a" } ] }""", "neither a password nor")]
    [InlineData("""{ "users": [ { "username": "a", "scram": "SCRAM-SHA-256$10:x$y:z" } ] }""", "users[0] (a): scram has iteration count '10'")]
    [InlineData("""{ "users": [ { "username": "a", "certificate": true, "tenant": "x/y" } ] }""", "tenant 'x/y'")]
    [InlineData("""{ "users": [ { "username": "a", "certificate": true }, { "username": "a", "certificate": true } ] }""", "appears twice")]
    [InlineData("""{ "acl": [ { "effect": "maybe" } ] }""", "acl[0]: effect 'maybe'")]
    [InlineData("""{ "acl": [ { "effect": "allow", "actions": ["fly"] } ] }""", "action 'fly'")]
    [InlineData("""{ "acl": [ { "effect": "allow", "topics": ["a/#/b"] } ] }""", "topic pattern 'a/#/b'")]
    [InlineData("""{ "acl": [ { "effect": "allow", "qos": [3] } ] }""", "qos 3")]
    [InlineData("""{ "certificateUsername": "serial" }""", "certificateUsername 'serial'")]
    [InlineData("""{ "usres": [] }""", "is not valid")]
    [InlineData("""not json""", "is not valid")]
    public void Parse_BadFile_SaysWhatAndWhere(string json, string message)
    {
        var exception = Assert.Throws<AuthFileException>(() => FileAuthProvider.Parse(json, "users.json"));

        Assert.Contains(message, exception.Message, StringComparison.Ordinal);
        Assert.Contains("users.json", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_CommentsAndTrailingCommas_Accepted()
    {
        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllText(path, """
                {
                  // operators
                  "users": [ { "username": "alice", "certificate": true, }, ],
                  "acl": [ { "effect": "allow" } ],
                }
                """);

            var provider = FileAuthProvider.Load(path);

            Assert.Equal(1, provider.UserCount);
            Assert.Equal(1, provider.RuleCount);
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static FileAuthProvider Parse(string json) => FileAuthProvider.Parse(json);

    private static string Users(params string[] users) =>
        $$"""{ "users": [ {{string.Join(", ", users)}} ] }""".Replace("HASH", Secret, StringComparison.Ordinal);

    private static string Acl(params string[] rules) => $$"""{ "acl": [ {{string.Join(", ", rules)}} ] }""";

    private static AuthRequest Request(string? user, string? password) => new()
    {
        ProtocolVersion = 4,
        Username = user,
        Password = password is null ? null : Encoding.UTF8.GetBytes(password),
        ClientId = "c",
    };

    private static ClientInfo Client(string user = "alice", string clientId = "dev-1", string tenant = "default") =>
        new() { TenantId = tenant, UserId = user, ClientId = clientId };

    private static X509Certificate2 Certificate(string commonName)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={commonName}, O=Bifro Tests", key, HashAlgorithmName.SHA256);
        return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddHours(1));
    }
}
