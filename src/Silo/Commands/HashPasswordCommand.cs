using System.CommandLine;
using Bifro.Grains.Authorization.Providers;

namespace Bifro.Silo.Commands;

/// <summary>
/// <c>bifro hash-password</c>: prints a salted PBKDF2 hash for the "password" of a user in the file
/// provider's users file. The password comes from --password or, safer (it stays out of the shell
/// history and the process list), from the first line of standard input.
/// </summary>
internal static class HashPasswordCommand
{
    private static readonly Option<string?> s_password = new("--password") { Description = "The password (otherwise the first line of standard input)." };
    private static readonly Option<int> s_iterations = new("--iterations")
    {
        Description = $"PBKDF2 iterations (at least {PasswordHash.MinimumIterations}; {PasswordHash.DefaultIterations} by default).",
        DefaultValueFactory = _ => PasswordHash.DefaultIterations,
    };

    private static readonly Option<bool> s_sha512 = new("--sha512") { Description = "Use PBKDF2-HMAC-SHA512 rather than SHA-256." };

    public static void AddTo(RootCommand root)
    {
        var command = new Command("hash-password", "Print a password hash for the users file of the file auth provider (Bifro:Auth:File:Path).");
        command.Options.Add(s_password);
        command.Options.Add(s_iterations);
        command.Options.Add(s_sha512);
        command.SetAction(async (parse, cancellationToken) => await RunAsync(parse).ConfigureAwait(false));
        root.Subcommands.Add(command);
    }

    private static async Task<int> RunAsync(ParseResult parse)
    {
        var password = parse.GetValue(s_password) ?? await Console.In.ReadLineAsync().ConfigureAwait(false);
        if (string.IsNullOrEmpty(password))
        {
            await Console.Error.WriteLineAsync("hash-password: no password (give --password, or one line on standard input).").ConfigureAwait(false);
            return 2;
        }

        var iterations = parse.GetValue(s_iterations);
        if (iterations < PasswordHash.MinimumIterations)
        {
            await Console.Error.WriteLineAsync($"hash-password: --iterations must be at least {PasswordHash.MinimumIterations}.").ConfigureAwait(false);
            return 2;
        }

        await Console.Out.WriteLineAsync(PasswordHash.Hash(password, iterations, parse.GetValue(s_sha512))).ConfigureAwait(false);
        return 0;
    }
}
