using System.Text;
using Bifro.Configuration;
using Bifro.Grains.Authorization.Providers;
using Bifro.Grains.Authorization.Providers.Postgres;
using Bifro.Grains.Authorization.Providers.Scram;
using Bifro.Runtime.Providers.Postgres;
using Bifro.TestKit;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;
using Xunit;

namespace Bifro.Grains.Tests.Authorization.Providers.Postgres;

/// <summary>The postgres provider against a real PostgreSQL (a database per test), with a manual clock for its cache.</summary>
[Trait("Category", "Postgres")]
public sealed class PostgresAuthProviderTests : IAsyncLifetime
{
    private static readonly string Secret = PasswordHash.Hash("secret", PasswordHash.MinimumIterations);
    private static readonly TimeSpan Ttl = TimeSpan.FromSeconds(10);

    private readonly ManualTimeProvider _time = new();
    private string _database = null!;
    private PostgresAuthProvider _provider = null!;

    public async Task InitializeAsync()
    {
        _database = await PostgresServer.CreateDatabaseAsync("bifro_auth");
        await PostgresSchema.ApplyAsync(_database);
        _provider = new PostgresAuthProvider(new PostgresAuthOptions { ConnectionString = _database, CacheTtl = Ttl }, _time, NullLogger<PostgresAuthProvider>.Instance);
        await ExecuteAsync(
            "INSERT INTO bifro_auth_users (username, password_hash, tenant, attributes) VALUES ('alice', @hash, 'acme', '{\"role\": \"ops\", \"level\": 3}')",
            ("hash", Secret));
        await ExecuteAsync("INSERT INTO bifro_auth_users (username, certificate) VALUES ('sensor-17', true)");
        await ExecuteAsync("""
            INSERT INTO bifro_auth_acl (rule_order, effect, actions, username, topics, qos, retain) VALUES
              (10, 'deny', '{connect}', 'mallory', NULL, NULL, NULL),
              (20, 'deny', '{publish,subscribe}', NULL, '{secret/#}', NULL, NULL),
              (30, 'allow', '{publish}', NULL, '{users/%u/#}', '{0,1}', false),
              (40, 'allow', '{subscribe}', NULL, '{users/%u/#,clients/%c/#}', NULL, NULL)
            """);
    }

    public async Task DisposeAsync() => await _provider.DisposeAsync();

    [Fact(Timeout = 60_000)]
    public async Task Authenticate_RightPassword_OkWithTenantAndAttributes()
    {
        var result = await _provider.AuthenticateAsync(Request("alice", "secret"), default);

        Assert.Equal(AuthResultKind.Ok, result.Kind);
        Assert.Equal("acme", result.TenantId);
        Assert.Equal("alice", result.UserId);
        Assert.Equal("ops", result.Attributes!["role"]);
        Assert.Equal("3", result.Attributes["level"]);
    }

    [Theory(Timeout = 60_000)]
    [InlineData("alice", "wrong")]
    [InlineData("nobody", "secret")]
    [InlineData("sensor-17", "anything")]
    public async Task Authenticate_BadCredentials_BadUserNameOrPassword(string user, string password)
    {
        var result = await _provider.AuthenticateAsync(Request(user, password), default);

        Assert.Equal(AuthRejectCode.BadUserNameOrPassword, result.RejectCode);
    }

    [Fact(Timeout = 60_000)]
    public async Task Connect_Warm_NoQuery()
    {
        await ConnectAsync("alice");
        var cold = _provider.QueryCount;

        await ConnectAsync("alice");

        Assert.Equal(2, cold); // one per table
        Assert.Equal(cold, _provider.QueryCount);
    }

    [Fact(Timeout = 60_000)]
    public async Task Connect_ColdUserWarmRules_OneQuery()
    {
        await ConnectAsync("alice");
        var before = _provider.QueryCount;

        await ConnectAsync("nobody");

        Assert.Equal(before + 1, _provider.QueryCount);
    }

    [Fact(Timeout = 60_000)]
    public async Task Authenticate_ConcurrentColdLookups_ShareOneQuery()
    {
        var results = await Task.WhenAll(Enumerable.Range(0, 16).Select(_ => _provider.AuthenticateAsync(Request("alice", "secret"), default).AsTask()));

        Assert.All(results, r => Assert.Equal(AuthResultKind.Ok, r.Kind));
        Assert.Equal(1, _provider.QueryCount);
    }

    [Fact(Timeout = 60_000)]
    public async Task Authenticate_RowChanged_SeenOnlyAfterTheTtl()
    {
        Assert.Equal(AuthResultKind.Ok, (await _provider.AuthenticateAsync(Request("alice", "secret"), default)).Kind);
        await ExecuteAsync("UPDATE bifro_auth_users SET password_hash = @hash WHERE username = 'alice'", ("hash", PasswordHash.Hash("changed", PasswordHash.MinimumIterations)));

        var before = await _provider.AuthenticateAsync(Request("alice", "changed"), default);
        _time.Advance(Ttl);
        var after = await _provider.AuthenticateAsync(Request("alice", "changed"), default);

        Assert.Equal(AuthResultKind.Rejected, before.Kind);
        Assert.Equal(AuthResultKind.Ok, after.Kind);
    }

    [Fact(Timeout = 60_000)]
    public async Task Authenticate_UnknownUserAddedLater_CachedAsUnknownForTheTtl()
    {
        await _provider.AuthenticateAsync(Request("carol", "secret"), default);
        await ExecuteAsync("INSERT INTO bifro_auth_users (username, password_hash) VALUES ('carol', @hash)", ("hash", Secret));

        var cached = await _provider.AuthenticateAsync(Request("carol", "secret"), default);
        _time.Advance(Ttl);
        var fresh = await _provider.AuthenticateAsync(Request("carol", "secret"), default);

        Assert.Equal(AuthResultKind.Rejected, cached.Kind);
        Assert.Equal(AuthResultKind.Ok, fresh.Kind);
        Assert.Equal(SessionKey.DefaultTenant, fresh.TenantId);
    }

    [Fact(Timeout = 60_000)]
    public async Task Authenticate_CertificateUser_NeedsNoPassword()
    {
        var provider = new PostgresAuthProvider(
            new PostgresAuthOptions { ConnectionString = _database, CertificateUsername = "cn" }, _time, NullLogger<PostgresAuthProvider>.Instance);
        await using (provider)
        {
            using var key = System.Security.Cryptography.ECDsa.Create();
            var request = new System.Security.Cryptography.X509Certificates.CertificateRequest("CN=sensor-17", key, System.Security.Cryptography.HashAlgorithmName.SHA256);
            using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));

            var result = await provider.AuthenticateAsync(new AuthRequest { ClientId = "c", ClientCertificate = certificate.RawData }, default);

            Assert.Equal(AuthResultKind.Ok, result.Kind);
            Assert.Equal("sensor-17", result.UserId);
        }
    }

    [Fact(Timeout = 60_000)]
    public async Task Check_RulesInOrder_FirstMatchDecides()
    {
        var alice = Client("alice", "dev-1");

        Assert.False(await GrantedAsync(Client("mallory", "m"), MqttAction.Connect()));
        Assert.True(await GrantedAsync(alice, MqttAction.Connect()));
        Assert.True(await GrantedAsync(alice, MqttAction.Publish("users/alice/x", 1, false)));
        Assert.False(await GrantedAsync(alice, MqttAction.Publish("users/alice/x", 2, false))); // qos {0,1}
        Assert.False(await GrantedAsync(alice, MqttAction.Publish("users/alice/x", 0, true))); // retain false
        Assert.False(await GrantedAsync(alice, MqttAction.Publish("users/bob/x", 0, false)));
        Assert.True(await GrantedAsync(alice, MqttAction.Subscribe("clients/dev-1/#", 1)));
        Assert.False(await GrantedAsync(alice, MqttAction.Subscribe("secret/x", 0)));
        Assert.Equal(1, _provider.QueryCount);
    }

    [Fact(Timeout = 60_000)]
    public async Task Check_RuleAdded_SeenAfterTheTtl()
    {
        var alice = Client("alice", "c");
        Assert.False(await GrantedAsync(alice, MqttAction.Publish("news/x", 0, false)));
        await ExecuteAsync("INSERT INTO bifro_auth_acl (rule_order, effect, actions, topics) VALUES (5, 'allow', '{publish}', '{news/#}')");

        var before = await GrantedAsync(alice, MqttAction.Publish("news/x", 0, false));
        _time.Advance(Ttl);
        var after = await GrantedAsync(alice, MqttAction.Publish("news/x", 0, false));

        Assert.False(before);
        Assert.True(after);
    }

    [Fact(Timeout = 60_000)]
    public async Task Check_UnusableRow_EveryCheckIsAnError()
    {
        await ExecuteAsync("INSERT INTO bifro_auth_acl (rule_order, effect, topics) VALUES (1, 'allow', '{a/#/b}')");

        var result = await _provider.CheckPermissionAsync(Client("alice", "c"), MqttAction.Connect(), default);

        Assert.Equal(CheckDecision.Error, result.Decision);
        Assert.Contains("topic pattern 'a/#/b'", result.Reason, StringComparison.Ordinal);
    }

    [Fact(Timeout = 60_000)]
    public async Task DatabaseError_FailsClosed()
    {
        var guard = Guard(_provider);
        await ExecuteAsync("DROP TABLE bifro_auth_users; DROP TABLE bifro_auth_acl");

        var connect = await guard.AuthenticateAsync(Request("alice", "secret"));
        var check = await guard.CheckPermissionAsync(Client("alice", "c"), MqttAction.Connect());

        Assert.Equal(AuthRejectCode.Error, connect.RejectCode);
        Assert.Equal(CheckDecision.Error, check.Decision);
    }

    [Fact(Timeout = 60_000)]
    public async Task DatabaseUnreachable_FailsClosed()
    {
        var unreachable = new NpgsqlConnectionStringBuilder(_database) { Port = FreePort.Next(), Timeout = 2 }.ConnectionString;
        var provider = new PostgresAuthProvider(new PostgresAuthOptions { ConnectionString = unreachable }, _time, NullLogger<PostgresAuthProvider>.Instance);
        await using (provider)
        {
            var connect = await Guard(provider).AuthenticateAsync(Request("alice", "secret"));

            Assert.Equal(AuthRejectCode.Error, connect.RejectCode);
        }
    }

    [Fact(Timeout = 60_000)]
    public async Task Authenticate_BadHashInRow_FailsClosedAndIsNotCached()
    {
        await ExecuteAsync("INSERT INTO bifro_auth_users (username, password_hash) VALUES ('broken', 'plain-text')");

        var first = await Guard(_provider).AuthenticateAsync(Request("broken", "plain-text"));
        var second = await Guard(_provider).AuthenticateAsync(Request("broken", "plain-text"));

        Assert.Equal(AuthRejectCode.Error, first.RejectCode);
        Assert.Equal(AuthRejectCode.Error, second.RejectCode);
        Assert.Equal(2, _provider.QueryCount);
    }

    [Fact(Timeout = 60_000)]
    public async Task Scram_OverThePostgresStore_ExchangeSucceeds()
    {
        await ExecuteAsync("INSERT INTO bifro_auth_users (username, scram, tenant) VALUES ('dave', @scram, 'globex')", ("scram", ScramSha256.CreateCredential("pw").ToString()));
        var scram = new ScramAuthProvider(_provider, _provider, new ScramAuthOptions { Store = "postgres" });
        var client = new ScramClient("dave", "pw");

        var first = await scram.AuthenticateAsync(new AuthRequest { ClientId = "c", AuthenticationMethod = ScramSha256.Mechanism, AuthenticationData = client.ClientFirst() }, default);
        var final = await scram.ContinueAuthenticationAsync(
            new AuthContinuation { Request = new AuthRequest(), AuthenticationMethod = ScramSha256.Mechanism, AuthenticationData = client.ClientFinal(first.AuthenticationData!), State = first.State },
            default);

        Assert.Equal(AuthResultKind.Ok, final.Kind);
        Assert.Equal("globex", final.TenantId);
        Assert.True(client.VerifyServerFinal(final.AuthenticationData!));
    }

    private async Task ConnectAsync(string user)
    {
        await _provider.AuthenticateAsync(Request(user, "secret"), default);
        await _provider.CheckPermissionAsync(Client(user, "c"), MqttAction.Connect(), default);
    }

    private async Task<bool> GrantedAsync(ClientInfo client, MqttAction action) =>
        (await _provider.CheckPermissionAsync(client, action, default)).IsGranted;

    private async Task ExecuteAsync(string sql, params (string Name, object Value)[] parameters)
    {
        await using var connection = new NpgsqlConnection(_database);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        await command.ExecuteNonQueryAsync();
    }

    private static AuthProviderGuard Guard(IAuthProvider provider) =>
        new(provider, Options.Create(new AuthOptions { Provider = "postgres" }), TimeProvider.System, NullLogger<AuthProviderGuard>.Instance);

    private static AuthRequest Request(string user, string password) =>
        new() { ProtocolVersion = 5, ClientId = "c", Username = user, Password = Encoding.UTF8.GetBytes(password) };

    private static ClientInfo Client(string user, string clientId) => new() { TenantId = "acme", UserId = user, ClientId = clientId };
}
