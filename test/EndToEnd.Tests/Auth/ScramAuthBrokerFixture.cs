using Bifro.TestKit;
using Xunit;

namespace Bifro.EndToEnd.Tests.Auth;

/// <summary>
/// A node with the scram provider over the file store. Users, credentials made by the node's own
/// <c>hash-password --scram</c> and <c>hash-password</c>: dave (tenant acme, SCRAM only, password "pencil"),
/// erin (tenant globex, SCRAM and PBKDF2, "s3cret"), frank (PBKDF2 only, "s3cret"). Everyone may publish and
/// subscribe under scram/#. A failed CONNECT is answered after 0–50 ms here.
/// </summary>
public sealed class ScramAuthBrokerFixture : IAsyncLifetime
{
    private string? _directory;

    public BrokerProcess Broker { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        _directory = Directory.CreateTempSubdirectory("bifro-scram-").FullName;
        var pencil = await ScramCredentialAsync("pencil");
        var secretScram = await ScramCredentialAsync("s3cret");
        var secretHash = await FileAuthBrokerFixture.HashPasswordAsync("s3cret");
        var path = Path.Combine(_directory, "users.json");
        await File.WriteAllTextAsync(path, $$"""
            {
              "users": [
                { "username": "dave", "scram": "{{pencil}}", "tenant": "acme" },
                { "username": "erin", "scram": "{{secretScram}}", "password": "{{secretHash}}", "tenant": "globex" },
                { "username": "frank", "password": "{{secretHash}}" }
              ],
              "acl": [ { "effect": "allow", "actions": ["publish", "subscribe"], "topics": ["scram/#"] } ]
            }
            """);
        Broker = await BrokerProcess.StartAsync(
            null,
            "--auth", "scram",
            "--Bifro:Auth:Scram:Store=file",
            $"--Bifro:Auth:File:Path={path}",
            "--Bifro:Auth:FailedConnectDelayMin=00:00:00",
            "--Bifro:Auth:FailedConnectDelayMax=00:00:00.05");
    }

    public async Task DisposeAsync()
    {
        await Broker.DisposeAsync();
        Directory.Delete(_directory!, recursive: true);
    }

    /// <summary>Runs "bifro hash-password --scram" with the password on standard input.</summary>
    public static async Task<string> ScramCredentialAsync(string password)
    {
        var result = await ExternalProcess.RunAsync("dotnet", [RepositoryPaths.NodeAssembly, "hash-password", "--scram"], TimeSpan.FromSeconds(30), password + "\n");
        Assert.True(result.ExitCode == 0, result.ToString());
        return result.StandardOutput.Trim();
    }
}
