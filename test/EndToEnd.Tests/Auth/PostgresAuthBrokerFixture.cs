using Bifro.TestKit;
using Npgsql;
using Xunit;

namespace Bifro.EndToEnd.Tests.Auth;

/// <summary>
/// A database of its own, migrated by the node's <c>bifro migrate</c>, with users and ACL rows, and two nodes on
/// it: <see cref="Broker"/> with the postgres provider and <see cref="ScramBroker"/> with the scram provider over
/// the postgres store, both with a one-second cache. Users (password "secret"): alice and mallory (acme), bob
/// (globex); dave (acme) has SCRAM credentials for "pencil". Rules, in rule_order: mallory may not connect;
/// nobody publishes or subscribes under secret/#; everyone may under users/%u/#, shared/# and open/#.
/// </summary>
public sealed class PostgresAuthBrokerFixture : IAsyncLifetime
{
    public const string Password = "secret";

    public string ConnectionString { get; private set; } = null!;

    /// <summary>What <c>bifro migrate</c> printed.</summary>
    public string MigrateOutput { get; private set; } = null!;

    public BrokerProcess Broker { get; private set; } = null!;

    public BrokerProcess ScramBroker { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        ConnectionString = await PostgresServer.CreateDatabaseAsync("bifro_e2e_auth");
        var migrate = await ExternalProcess.RunAsync("dotnet", [RepositoryPaths.NodeAssembly, "migrate", "--connection-string", ConnectionString], TimeSpan.FromSeconds(60));
        Assert.True(migrate.ExitCode == 0, migrate.ToString());
        MigrateOutput = migrate.StandardOutput;

        var hash = await FileAuthBrokerFixture.HashPasswordAsync(Password);
        var scram = await ScramAuthBrokerFixture.ScramCredentialAsync("pencil");
        await ExecuteAsync(
            """
            INSERT INTO bifro_auth_users (username, password_hash, tenant, attributes) VALUES
              ('alice', @hash, 'acme', '{"role": "ops"}'), ('mallory', @hash, 'acme', NULL), ('bob', @hash, 'globex', NULL);
            INSERT INTO bifro_auth_users (username, scram, tenant) VALUES ('dave', @scram, 'acme');
            INSERT INTO bifro_auth_acl (rule_order, effect, actions, username, topics) VALUES
              (10, 'deny', '{connect}', 'mallory', NULL),
              (20, 'deny', '{publish,subscribe}', NULL, '{secret/#}'),
              (30, 'allow', '{publish,subscribe}', NULL, '{users/%u/#,shared/#,open/#}');
            """,
            ("hash", hash),
            ("scram", scram));

        string[] common =
        [
            $"--Bifro:Auth:Postgres:ConnectionString={ConnectionString}",
            "--Bifro:Auth:Postgres:CacheTtl=00:00:01",
            "--Bifro:Auth:FailedConnectDelayMin=00:00:00",
            "--Bifro:Auth:FailedConnectDelayMax=00:00:00.05",
            "--Bifro:Auth:DecisionCacheTtl=00:00:00",
        ];
        Broker = await BrokerProcess.StartAsync(null, ["--auth", "postgres", .. common]);
        ScramBroker = await BrokerProcess.StartAsync(null, ["--auth", "scram", "--Bifro:Auth:Scram:Store=postgres", .. common]);
    }

    public async Task DisposeAsync()
    {
        await Broker.DisposeAsync();
        await ScramBroker.DisposeAsync();
    }

    public async Task ExecuteAsync(string sql, params (string Name, object Value)[] parameters)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        await command.ExecuteNonQueryAsync();
    }
}
