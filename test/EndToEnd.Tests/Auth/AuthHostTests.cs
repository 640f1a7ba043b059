using System.Globalization;
using Bifro.EndToEnd.Tests.Clients;
using Bifro.TestKit;
using Xunit;

namespace Bifro.EndToEnd.Tests.Auth;

/// <summary>There is no silently open broker: the node refuses to start without an auth provider, and says so when it is allow-all.</summary>
[Trait("Category", "EndToEnd")]
public sealed class AuthHostTests
{
    [Fact(Timeout = 60_000)]
    public async Task Start_WithoutProvider_RefusesNamingTheKey()
    {
        var result = await RunNodeAsync();

        Assert.False(result.TimedOut, "The node started without an auth provider.\n" + result);
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("Bifro:Auth:Provider", result.StandardError, StringComparison.Ordinal);
        Assert.DoesNotContain("Bifro node started.", result.StandardOutput, StringComparison.Ordinal);
    }

    [Fact(Timeout = 60_000)]
    public async Task Start_UsersFileWithPlainPassword_RefusesNamingTheKey()
    {
        var file = Path.GetTempFileName();
        try
        {
            await File.WriteAllTextAsync(file, """{ "users": [ { "username": "alice", "password": "secret" } ] }""");

            var result = await RunNodeAsync("--auth", "file", $"--Bifro:Auth:File:Path={file}");

            Assert.Equal(2, result.ExitCode);
            Assert.Contains("Bifro:Auth:File:Path", result.StandardError, StringComparison.Ordinal);
            Assert.Contains("hash-password", result.StandardError, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact(Timeout = 60_000)]
    public async Task Start_PluginTypeMissing_RefusesNamingTheKey()
    {
        var result = await RunNodeAsync("--auth", "plugin", "--Bifro:Auth:Plugin:Path=/nonexistent/plugins", "--Bifro:Auth:Plugin:TypeName=Acme.Auth");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("Bifro:Auth:Plugin:Path", result.StandardError, StringComparison.Ordinal);
    }

    [Fact(Timeout = 90_000)]
    public async Task Start_AllowAll_WarnsAtEveryStart()
    {
        await using var broker = await BrokerProcess.StartAsync(null, "--auth", "allow-all");
        await broker.Process.WaitForLineAsync(line => line.Contains("warn", StringComparison.Ordinal) && line.Contains("allow-all", StringComparison.Ordinal), Mosquitto.DefaultTimeout);

        await broker.RestartAsync();

        // The restarted process (its output starts afresh) warns again.
        await broker.Process.WaitForLineAsync(line => line.Contains("warn", StringComparison.Ordinal) && line.Contains("allow-all", StringComparison.Ordinal), Mosquitto.DefaultTimeout);
    }

    private static async Task<ProcessResult> RunNodeAsync(params string[] extra)
    {
        var dataDirectory = Path.Combine(Path.GetTempPath(), "bifro-test-" + Guid.NewGuid().ToString("N"));
        try
        {
            List<string> arguments =
            [
                RepositoryPaths.NodeAssembly, "--data-dir", dataDirectory, "--bind", "127.0.0.1",
                "--port", FreePort.Next().ToString(CultureInfo.InvariantCulture), .. extra,
            ];
            return await ExternalProcess.RunAsync("dotnet", arguments, TimeSpan.FromSeconds(30));
        }
        finally
        {
            if (Directory.Exists(dataDirectory))
            {
                Directory.Delete(dataDirectory, recursive: true);
            }
        }
    }
}
