using System.CommandLine;
using Bifro.Grains.Authorization.Providers;
using Bifro.Grains.Authorization.Providers.Scram;

namespace Bifro.Silo.Commands;

/// <summary>
/// <c>bifro hash-password</c>: prints a salted PBKDF2 hash for the "password" of a user of the file or
/// postgres provider, or with --scram the SCRAM-SHA-256 credentials (RFC 5803 form) for its "scram". The
/// password comes from --password or, safer (it stays out of the shell history and the process list), from
/// the first line of standard input.
/// </summary>
internal static class HashPasswordCommand
{
    private static readonly Option<string?> s_password = new("--password") { Description = "The password (otherwise the first line of standard input)." };
    private static readonly Option<int?> s_iterations = new("--iterations")
    {
        Description = $"PBKDF2 iterations: at least {PasswordHash.MinimumIterations} ({PasswordHash.DefaultIterations} by default); " +
            $"with --scram at least {ScramSha256.MinimumIterations} ({ScramSha256.DefaultIterations} by default).",
    };

    private static readonly Option<bool> s_sha512 = new("--sha512") { Description = "Use PBKDF2-HMAC-SHA512 rather than SHA-256." };
    private static readonly Option<bool> s_scram = new("--scram")
    {
        Description = "Print SCRAM-SHA-256 credentials (salt, iterations, StoredKey, ServerKey) for the user's \"scram\" field or column.",
    };

    public static void AddTo(RootCommand root)
    {
        var command = new Command("hash-password", "Print a password hash (or with --scram, SCRAM-SHA-256 credentials) for the users of the file and postgres auth providers.");
        command.Options.Add(s_password);
        command.Options.Add(s_iterations);
        command.Options.Add(s_sha512);
        command.Options.Add(s_scram);
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

        var scram = parse.GetValue(s_scram);
        if (scram && parse.GetValue(s_sha512))
        {
            await Console.Error.WriteLineAsync("hash-password: --scram and --sha512 do not go together (SCRAM-SHA-256 uses SHA-256).").ConfigureAwait(false);
            return 2;
        }

        var minimum = scram ? ScramSha256.MinimumIterations : PasswordHash.MinimumIterations;
        var iterations = parse.GetValue(s_iterations) ?? (scram ? ScramSha256.DefaultIterations : PasswordHash.DefaultIterations);
        if (iterations < minimum)
        {
            await Console.Error.WriteLineAsync($"hash-password: --iterations must be at least {minimum}.").ConfigureAwait(false);
            return 2;
        }

        if (scram && SaslPrep.Prepare(password) is null)
        {
            await Console.Error.WriteLineAsync("hash-password: the password holds characters that SASLprep (RFC 4013) prohibits, such as control characters.").ConfigureAwait(false);
            return 2;
        }

        var line = scram ? ScramSha256.CreateCredential(password, iterations).ToString() : PasswordHash.Hash(password, iterations, parse.GetValue(s_sha512));
        await Console.Out.WriteLineAsync(line).ConfigureAwait(false);
        return 0;
    }
}
