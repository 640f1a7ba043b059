using System.Text;
using Bifro.Grains.Authorization.Providers;
using Bifro.Grains.Authorization.Providers.Scram;
using Bifro.TestKit;
using Xunit;

namespace Bifro.Silo.Tests.Commands;

public sealed class HashPasswordCommandTests
{
    private static string Node => Path.Combine(AppContext.BaseDirectory, "bifro.dll");

    [Fact(Timeout = 60_000)]
    public async Task HashPassword_PasswordOnStandardInput_PrintsHashThatVerifies()
    {
        var result = await ExternalProcess.RunAsync("dotnet", [Node, "hash-password", "--iterations", "10000"], TimeSpan.FromSeconds(30), "s3cret pass\n");

        Assert.True(result.ExitCode == 0, result.ToString());
        var line = result.StandardOutput.Trim();
        Assert.StartsWith("$pbkdf2-sha256$i=10000$", line, StringComparison.Ordinal);
        Assert.True(PasswordHash.TryParse(line, out var parsed, out var error), error);
        Assert.True(PasswordHash.Verify(Encoding.UTF8.GetBytes("s3cret pass"), parsed));
    }

    [Fact(Timeout = 60_000)]
    public async Task HashPassword_PasswordOptionAndSha512_PrintsSha512Hash()
    {
        var result = await ExternalProcess.RunAsync("dotnet", [Node, "hash-password", "--password", "pw", "--sha512", "--iterations", "10000"], TimeSpan.FromSeconds(30));

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.True(PasswordHash.TryParse(result.StandardOutput.Trim(), out var parsed, out _));
        Assert.True(PasswordHash.Verify("pw"u8, parsed));
        Assert.Equal(64, parsed.Hash.Length);
    }

    [Fact(Timeout = 60_000)]
    public async Task HashPassword_Scram_PrintsCredentialsThatVerify()
    {
        var result = await ExternalProcess.RunAsync("dotnet", [Node, "hash-password", "--scram"], TimeSpan.FromSeconds(30), "pencil\n");

        Assert.True(result.ExitCode == 0, result.ToString());
        var line = result.StandardOutput.Trim();
        Assert.StartsWith("SCRAM-SHA-256$4096:", line, StringComparison.Ordinal);
        Assert.True(ScramCredential.TryParse(line, out var credential, out var error), error);
        Assert.True(ScramSha256.VerifyPassword("pencil"u8, credential));
        Assert.False(ScramSha256.VerifyPassword("pencil2"u8, credential));
    }

    [Theory(Timeout = 60_000)]
    [InlineData("--scram", "--iterations", "4095")]
    [InlineData("--scram", "--sha512")]
    [InlineData("--iterations", "9999")]
    public async Task HashPassword_BadOptions_Refuses(params string[] options)
    {
        var result = await ExternalProcess.RunAsync("dotnet", [Node, "hash-password", "--password", "pw", .. options], TimeSpan.FromSeconds(30));

        Assert.Equal(2, result.ExitCode);
        Assert.Empty(result.StandardOutput.Trim());
    }

    [Fact(Timeout = 60_000)]
    public async Task HashPassword_TooFewIterations_Refuses()
    {
        var result = await ExternalProcess.RunAsync("dotnet", [Node, "hash-password", "--password", "pw", "--iterations", "10"], TimeSpan.FromSeconds(30));

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--iterations", result.StandardError, StringComparison.Ordinal);
    }

    [Fact(Timeout = 60_000)]
    public async Task HashPassword_NoPassword_Refuses()
    {
        var result = await ExternalProcess.RunAsync("dotnet", [Node, "hash-password"], TimeSpan.FromSeconds(30), string.Empty);

        Assert.Equal(2, result.ExitCode);
        Assert.Empty(result.StandardOutput.Trim());
    }
}
