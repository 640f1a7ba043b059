using Bifro.EndToEnd.Tests.Auth;
using Bifro.TestKit;
using Xunit;

namespace Bifro.EndToEnd.Tests.Tenants;

/// <summary>
/// A node with the file provider and tenants whose limits differ (python/tenants.py lists them). Users, all with
/// password "secret": alice (acme), gina (globex), carl (crowd), tess (throng), bert and bart (burst, burst2),
/// chad (chatty). A failed CONNECT is answered after 0–50 ms here.
/// </summary>
public sealed class TenantLimitsBrokerFixture : IAsyncLifetime
{
    public const string Password = FileAuthBrokerFixture.Password;

    private string? _directory;

    public BrokerProcess Broker { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        _directory = Directory.CreateTempSubdirectory("bifro-tenants-").FullName;
        var hash = await FileAuthBrokerFixture.HashPasswordAsync(Password);
        var users = string.Join(
            ",\n",
            new[] { ("alice", "acme"), ("gina", "globex"), ("carl", "crowd"), ("tess", "throng"), ("bert", "burst"), ("bart", "burst2"), ("chad", "chatty") }
                .Select(u => $$"""    { "username": "{{u.Item1}}", "password": "{{hash}}", "tenant": "{{u.Item2}}" }"""));
        var path = Path.Combine(_directory, "users.json");
        await File.WriteAllTextAsync(path, $$"""
            {
              "users": [
            {{users}}
              ],
              "acl": [ { "effect": "allow", "actions": ["publish", "subscribe"] } ]
            }
            """);
        Broker = await BrokerProcess.StartAsync(
            null,
            "--auth", "file",
            $"--Bifro:Auth:File:Path={path}",
            "--Bifro:Auth:FailedConnectDelayMin=00:00:00",
            "--Bifro:Auth:FailedConnectDelayMax=00:00:00.05",
            "--Bifro:Tenants:acme:MaxTopicLevels=3",
            "--Bifro:Tenants:acme:MaxTopicLength=40",
            "--Bifro:Tenants:acme:MaxUserPayloadBytes=1000",
            "--Bifro:Tenants:acme:MaxSessionExpirySeconds=60",
            "--Bifro:Tenants:acme:ReceivingMaximum=5",
            "--Bifro:Tenants:acme:SessionInboxSize=3",
            "--Bifro:Tenants:acme:MaxSubscriptionsPerSession=3",
            "--Bifro:Tenants:acme:MaxTopicFiltersPerSub=2",
            "--Bifro:Tenants:acme:MaxRetainedTopics=2",
            "--Bifro:Tenants:globex:RetainEnabled=false",
            "--Bifro:Tenants:crowd:MaxConnections=2",
            "--Bifro:Tenants:throng:MaxConnections=2",
            "--Bifro:Tenants:burst:ConnectPerSecond=1",
            "--Bifro:Tenants:burst2:ConnectPerSecond=1",
            "--Bifro:Tenants:chatty:MsgPubPerSec=5");
    }

    public async Task DisposeAsync()
    {
        await Broker.DisposeAsync();
        Directory.Delete(_directory!, recursive: true);
    }
}
