using System.CommandLine;
using Bifro.Runtime.Providers.Postgres;
using Bifro.Silo.Configuration;
using Microsoft.Extensions.Configuration;
using Npgsql;

namespace Bifro.Silo.Commands;

/// <summary>
/// `bifro migrate`: applies the PostgreSQL schema (deploy/postgresql/*.sql) to the database named by
/// --connection-string or Bifro:Cluster:Postgres:ConnectionString (appsettings.json, environment,
/// --Bifro:...=value arguments). Every script is idempotent; running it again changes nothing.
/// </summary>
internal static class MigrateCommand
{
    private static readonly Option<string?> s_connectionString = new("--connection-string")
    {
        Description = "The Npgsql connection string (Bifro:Cluster:Postgres:ConnectionString).",
    };

    public static void AddTo(RootCommand root)
    {
        var command = new Command("migrate", "Apply the PostgreSQL schema: membership, grain storage, reminders.");
        command.Options.Add(s_connectionString);
        command.TreatUnmatchedTokensAsErrors = false;
        command.SetAction(async (parse, cancellationToken) => await RunAsync(parse, cancellationToken).ConfigureAwait(false));
        root.Subcommands.Add(command);
    }

    private static async Task<int> RunAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        var configuration = new ConfigurationBuilder()
            .SetBasePath(AppContext.BaseDirectory)
            .AddJsonFile("appsettings.json", optional: true)
            .AddEnvironmentVariables()
            .AddCommandLine(parse.UnmatchedTokens.ToArray())
            .Build();
        var connectionString = parse.GetValue(s_connectionString)
            ?? configuration[$"{ClusterHostingOptions.SectionName}:Postgres:ConnectionString"];
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            await Console.Error.WriteLineAsync(
                $"Configuration error: {ClusterHostingOptions.SectionName}:Postgres:ConnectionString (or --connection-string) is required.").ConfigureAwait(false);
            return 2;
        }

        try
        {
            await PostgresSchema.ApplyAsync(connectionString, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is NpgsqlException or ArgumentException or InvalidOperationException)
        {
            await Console.Error.WriteLineAsync($"Migration failed: {exception.Message}").ConfigureAwait(false);
            return 1;
        }

        foreach (var (name, _) in PostgresSchema.Scripts)
        {
            await Console.Out.WriteLineAsync($"applied {name}").ConfigureAwait(false);
        }

        return 0;
    }
}
