using Bifro.TestKit;
using Xunit;

namespace Bifro.EndToEnd.Tests.Auth;

/// <summary>
/// A node with the file provider. Users (password "secret", hashed by the node's own hash-password command):
/// alice and carol in tenant acme, bob in tenant globex, mallory (acme) who may not connect. Rules: nobody
/// publishes or subscribes under secret/#; everyone may under users/%u/#, clients/%c/#, shared/# and open/#.
/// A failed CONNECT is answered after 0–50 ms here.
/// </summary>
public sealed class FileAuthBrokerFixture : IAsyncLifetime
{
    public const string Password = "secret";

    private string? _directory;

    public BrokerProcess Broker { get; private set; } = null!;

    public string UsersFile => Path.Combine(_directory!, "users.json");

    public async Task InitializeAsync()
    {
        _directory = Directory.CreateTempSubdirectory("bifro-auth-").FullName;
        var hash = await HashPasswordAsync(Password);
        await File.WriteAllTextAsync(UsersFile, $$"""
            {
              "users": [
                { "username": "alice", "password": "{{hash}}", "tenant": "acme" },
                { "username": "carol", "password": "{{hash}}", "tenant": "acme" },
                { "username": "bob", "password": "{{hash}}", "tenant": "globex" },
                { "username": "mallory", "password": "{{hash}}", "tenant": "acme" }
              ],
              "acl": [
                { "effect": "deny", "actions": ["connect"], "user": "mallory" },
                { "effect": "deny", "actions": ["publish", "subscribe"], "topics": ["secret/#"] },
                { "effect": "allow", "actions": ["publish", "subscribe"], "topics": ["users/%u/#", "clients/%c/#", "shared/#", "open/#"] }
              ]
            }
            """);
        Broker = await BrokerProcess.StartAsync(
            null,
            "--auth", "file",
            $"--Bifro:Auth:File:Path={UsersFile}",
            "--Bifro:Auth:FailedConnectDelayMin=00:00:00",
            "--Bifro:Auth:FailedConnectDelayMax=00:00:00.05");
    }

    public async Task DisposeAsync()
    {
        await Broker.DisposeAsync();
        Directory.Delete(_directory!, recursive: true);
    }

    /// <summary>Runs "bifro hash-password" with the password on standard input, as an operator would.</summary>
    public static async Task<string> HashPasswordAsync(string password)
    {
        var result = await ExternalProcess.RunAsync("dotnet", [RepositoryPaths.NodeAssembly, "hash-password", "--iterations", "10000"], TimeSpan.FromSeconds(30), password + "\n");
        Assert.True(result.ExitCode == 0, result.ToString());
        return result.StandardOutput.Trim();
    }
}

/// <summary>
/// A node whose auth provider is the test plugin (test/TestPlugins, SlowAuthProvider) loaded from a plugins
/// folder, with a 1-second provider timeout.
/// </summary>
public sealed class PluginAuthBrokerFixture : IAsyncLifetime
{
    public const string TypeName = "Bifro.TestPlugins.SlowAuthProvider";

    private string? _plugins;

    public BrokerProcess Broker { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        _plugins = Fixtures.PluginFolder.Create();

        Broker = await BrokerProcess.StartAsync(
            null,
            "--auth", "plugin",
            $"--Bifro:Auth:Plugin:Path={_plugins}",
            $"--Bifro:Auth:Plugin:TypeName={TypeName}",
            "--Bifro:Auth:Timeout=00:00:01",
            "--Bifro:Auth:FailedConnectDelayMin=00:00:00",
            "--Bifro:Auth:FailedConnectDelayMax=00:00:00");
    }

    public async Task DisposeAsync()
    {
        await Broker.DisposeAsync();
        Directory.Delete(_plugins!, recursive: true);
    }
}
