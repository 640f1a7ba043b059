using Bifro.EndToEnd.Tests.Clients;
using Bifro.TestKit;
using Npgsql;
using Xunit;

namespace Bifro.EndToEnd.Tests.Auth;

/// <summary>
/// The postgres provider with mosquitto_pub/sub against a real PostgreSQL: refusals, ACL rows, tenants, rows
/// changed while the node runs, SCRAM over the postgres store, and failing closed when the database is away.
/// </summary>
[Trait("Category", "EndToEnd")]
public sealed class PostgresAuthTests(PostgresAuthBrokerFixture fixture) : IClassFixture<PostgresAuthBrokerFixture>
{
    private const string Secret = PostgresAuthBrokerFixture.Password;

    [Fact(Timeout = 60_000)]
    public async Task Migrate_AppliesTheAuthTablesAgainWithoutHarm()
    {
        var again = await ExternalProcess.RunAsync("dotnet", [RepositoryPaths.NodeAssembly, "migrate", "--connection-string", fixture.ConnectionString], TimeSpan.FromSeconds(60));

        Assert.Contains("applied 05-bifro-auth.sql", fixture.MigrateOutput, StringComparison.Ordinal);
        Assert.True(again.ExitCode == 0, again.ToString());
        var ok = await Mosquitto.PublishAsync(fixture.Broker, "5", "-u", "alice", "-P", Secret, "-t", "open/x", "-m", "m");
        Assert.True(ok.ExitCode == 0, ok.ToString());
    }

    [Theory(Timeout = 60_000)]
    [InlineData("alice", "wrong")]
    [InlineData("nobody", Secret)]
    public async Task Connect_BadCredentials_Refused(string user, string password)
    {
        var v311 = await Mosquitto.PublishAsync(fixture.Broker, "311", "-u", user, "-P", password, "-t", "open/x", "-m", "m");
        var v5 = await Mosquitto.PublishAsync(fixture.Broker, "5", "-u", user, "-P", password, "-t", "open/x", "-m", "m");

        Assert.Contains("Connection Refused: bad user name or password", v311.StandardError, StringComparison.Ordinal);
        Assert.Equal(0x86, v5.ExitCode);
    }

    [Fact(Timeout = 60_000)]
    public async Task Connect_DeniedByAclRow_RefusedNotAuthorized()
    {
        var v5 = await Mosquitto.PublishAsync(fixture.Broker, "5", "-u", "mallory", "-P", Secret, "-t", "open/x", "-m", "m");

        Assert.Equal(0x87, v5.ExitCode);
    }

    [Fact(Timeout = 60_000)]
    public async Task Publish_AllowedByRowWithPlaceholder_Delivered()
    {
        await using var subscriber = await Mosquitto.StartSubscriberAsync(fixture.Broker, "5", "-u", "alice", "-P", Secret, "-t", "users/alice/#", "-v");

        var result = await Mosquitto.PublishAsync(fixture.Broker, "311", "-u", "alice", "-P", Secret, "-t", "users/alice/pg", "-m", "from-pg", "-q", "1");

        Assert.True(result.ExitCode == 0, result.ToString());
        await subscriber.WaitForLineAsync("users/alice/pg from-pg", Mosquitto.DefaultTimeout);
    }

    [Fact(Timeout = 60_000)]
    public async Task PublishAndSubscribe_DeniedByRow_0x87()
    {
        var publish = await Mosquitto.PublishAsync(fixture.Broker, "5", "-u", "alice", "-P", Secret, "-t", "secret/x", "-m", "m", "-q", "1", "-d");
        var other = await Mosquitto.PublishAsync(fixture.Broker, "5", "-u", "alice", "-P", Secret, "-t", "users/bob/x", "-m", "m", "-q", "1", "-d");
        var subscribe = await Mosquitto.SubscribeAsync(fixture.Broker, "5", "-u", "alice", "-P", Secret, "-t", "secret/#", "-d", "-W", "5", "-C", "1");

        Assert.Contains("received PUBACK (Mid: 1, RC:135)", publish.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("received PUBACK (Mid: 1, RC:135)", other.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("Subscribed (mid: 1): 135", subscribe.StandardOutput, StringComparison.Ordinal);
    }

    [Fact(Timeout = 60_000)]
    public async Task Tenants_FromTheUserRows_StayApart()
    {
        await using var acme = await Mosquitto.StartSubscriberAsync(fixture.Broker, "5", "-u", "alice", "-P", Secret, "-t", "shared/pg", "-v");
        await using var globex = await Mosquitto.StartSubscriberAsync(fixture.Broker, "5", "-u", "bob", "-P", Secret, "-t", "shared/pg", "-v");

        await Mosquitto.PublishAsync(fixture.Broker, "5", "-u", "bob", "-P", Secret, "-t", "shared/pg", "-m", "globex-only", "-q", "1");
        await Mosquitto.PublishAsync(fixture.Broker, "5", "-u", "alice", "-P", Secret, "-t", "shared/pg", "-m", "acme-only", "-q", "1");

        await acme.WaitForLineAsync("shared/pg acme-only", Mosquitto.DefaultTimeout);
        await globex.WaitForLineAsync("shared/pg globex-only", Mosquitto.DefaultTimeout);
        Assert.DoesNotContain("globex-only", acme.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("acme-only", globex.Output, StringComparison.Ordinal);
    }

    [Fact(Timeout = 60_000)]
    public async Task Rows_ChangedWhileRunning_SeenWithinTheCacheTtl()
    {
        var before = await Mosquitto.PublishAsync(fixture.Broker, "5", "-u", "carol", "-P", Secret, "-t", "open/x", "-m", "m");
        Assert.Equal(0x86, before.ExitCode);

        await fixture.ExecuteAsync(
            "INSERT INTO bifro_auth_users (username, password_hash, tenant) SELECT 'carol', password_hash, 'acme' FROM bifro_auth_users WHERE username = 'alice';" +
            "INSERT INTO bifro_auth_acl (rule_order, effect, actions, username, topics) VALUES (1, 'deny', '{publish}', 'carol', '{open/closed}')");

        // A new user row and a new rule, read again once the one-second cache has expired.
        await Eventually.TrueAsync(
            async () => (await Mosquitto.PublishAsync(fixture.Broker, "5", "-u", "carol", "-P", Secret, "-t", "open/x", "-m", "m")).ExitCode == 0,
            TimeSpan.FromSeconds(15),
            "carol connects once her row is seen");
        var denied = await Mosquitto.PublishAsync(fixture.Broker, "5", "-u", "carol", "-P", Secret, "-t", "open/closed", "-m", "m", "-q", "1", "-d");
        Assert.Contains("RC:135", denied.StandardOutput, StringComparison.Ordinal);
    }

    [Fact(Timeout = 60_000)]
    public async Task Scram_OverThePostgresStore_ExchangeAndPlainPassword()
    {
        var scram = new ScramClient("dave", "pencil");
        await using var client = await RawMqttClient.ConnectAsync(fixture.ScramBroker);

        var connAck = await ScramMqtt.ExchangeAsync(client, scram, "pg-scram-dave", fixture.ScramBroker);
        var plain = await Mosquitto.PublishAsync(fixture.ScramBroker, "311", "-u", "alice", "-P", Secret, "-t", "users/alice/x", "-m", "m", "-q", "1");
        var wrong = new ScramClient("dave", "pen");
        await using var other = await RawMqttClient.ConnectAsync(fixture.ScramBroker);
        var refused = await ScramMqtt.ExchangeAsync(other, wrong, "pg-scram-wrong", fixture.ScramBroker);

        Assert.Equal(0x00, connAck.ReasonCode);
        Assert.True(scram.VerifyServerFinal(ScramMqtt.AuthData(connAck)), "the server's signature does not verify");
        Assert.True(plain.ExitCode == 0, plain.ToString());
        Assert.Equal(0x86, refused.ReasonCode);
    }

    [Fact(Timeout = 90_000)]
    public async Task Database_Unreachable_NodeStartsAndConnectsFailClosed()
    {
        var unreachable = new NpgsqlConnectionStringBuilder(fixture.ConnectionString) { Port = FreePort.Next(), Timeout = 2 }.ConnectionString;
        await using var broker = await BrokerProcess.StartAsync(
            null,
            "--auth", "postgres",
            $"--Bifro:Auth:Postgres:ConnectionString={unreachable}",
            "--Bifro:Auth:FailedConnectDelayMin=00:00:00",
            "--Bifro:Auth:FailedConnectDelayMax=00:00:00");

        var v5 = await Mosquitto.PublishAsync(broker, "5", "-u", "alice", "-P", Secret, "-t", "open/x", "-m", "m");
        var v311 = await Mosquitto.PublishAsync(broker, "311", "-u", "alice", "-P", Secret, "-t", "open/x", "-m", "m");

        Assert.Equal(0x80, v5.ExitCode);
        Assert.Contains("Connection Refused: broker unavailable", v311.StandardError, StringComparison.Ordinal);
        await broker.Process.WaitForLineAsync(line => line.Contains("fail closed", StringComparison.Ordinal), Mosquitto.DefaultTimeout);
    }
}
