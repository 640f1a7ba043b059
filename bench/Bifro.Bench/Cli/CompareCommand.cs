using System.CommandLine;
using Bifro.Bench.Runner;
using Bifro.Bench.Scenarios;

namespace Bifro.Bench.Cli;

/// <summary><c>bifro-bench compare</c>: starts Bifro (one node and two), and Mosquitto, runs the scenarios on each, prints the table.</summary>
internal static class CompareCommand
{
    /// <summary>--only names → targets, in table order.</summary>
    private static readonly Dictionary<string, string> s_targets = new()
    {
        ["bifro"] = ReportWriter.Bifro,
        ["bifro-tls"] = ReportWriter.BifroTls,
        ["cross-node"] = ReportWriter.CrossNode,
        ["mosquitto"] = ReportWriter.Mosquitto,
        ["mosquitto-tls"] = ReportWriter.MosquittoTls,
    };

    public static Command Create()
    {
        var load = new LoadOptions();
        var only = new Option<string?>("--only")
        {
            Description = "Run only these, comma-separated: bifro (one node), bifro-tls (one node, TLS and the file auth provider), cross-node (Bifro, publishers on node a, " +
                "subscribers on node b), mosquitto, mosquitto-tls (TLS, password file and ACL). Default: bifro, cross-node, mosquitto",
        };
        var bifro = new Option<string>("--bifro")
        {
            Description = "Command line that starts Bifro; {port}, {datadir}, {maxqueued} and {repo} are substituted. It is exec'd by /bin/sh, so it must be one program. Cross-node runs append the cluster settings to it",
            DefaultValueFactory = _ => CompareOptions.DefaultBifroCommand,
        };
        var bifroTls = new Option<string>("--bifro-tls")
        {
            Description = "Command line that starts Bifro for bifro-tls: TLS on {port} and the file auth provider; {users}, {cert} and {key} (the run's users file, " +
                "server certificate and key) are substituted too",
            DefaultValueFactory = _ => CompareOptions.DefaultBifroTlsCommand,
        };
        var hashPassword = new Option<string>("--hash-password")
        {
            Description = "Shell command that reads a password on stdin and prints Bifro's hash of it, for the users file of bifro-tls; {repo} is substituted",
            DefaultValueFactory = _ => CompareOptions.DefaultHashPasswordCommand,
        };
        var maxQueued = new Option<int>("--max-queued")
        {
            Description = "{maxqueued} in the Bifro command: Bifro's per-client queue",
            DefaultValueFactory = _ => CompareOptions.DefaultBifroMaxQueued,
        };
        var postgres = new Option<string?>("--postgres")
        {
            Description = "Npgsql connection string of an existing PostgreSQL server for the cross-node runs; the runner creates a database there for the run and drops it at the end (needs CREATEDB). Default: a throwaway server (deploy/scripts/pg-throwaway.sh), stopped at the end",
        };
        var clusterReady = new Option<double>("--cluster-ready-timeout")
        {
            Description = "Seconds a new two-node cluster may take until a message published on node a reaches node b",
            DefaultValueFactory = _ => 60,
        };
        var clusterSettle = new Option<double>("--cluster-settle-seconds")
        {
            Description = "Pause after a new cluster is ready, before the scenario: past the route reloads that follow a node joining (0 measures a cluster that just formed)",
            DefaultValueFactory = _ => 6,
        };
        var sleepingConsumer = new Option<int?>("--sleeping-consumer")
        {
            Description = "Run Bifro with an event collector that sleeps this many ms per batch (test/TestPlugins SleepingEventCollector) and every PUBLISH an event; the table is then Bifro's throughput with a consumer that cannot keep up, and the notes say how many events it missed",
        };
        var mosquitto = new Option<string>("--mosquitto") { Description = "Path of the mosquitto binary", DefaultValueFactory = _ => "/usr/sbin/mosquitto" };
        var queue = new Option<int>("--mosquitto-max-queued")
        {
            Description = "max_queued_messages written to mosquitto.conf: 0 = no limit (Mosquitto's own default is 1000; see bench/README.md for why not a finite limit)",
            DefaultValueFactory = _ => MosquittoConfig.DefaultMaxQueuedMessages,
        };
        var scenarios = new Option<string>("--scenarios") { Description = $"Comma-separated: {string.Join(",", ScenarioCatalog.Names)}", DefaultValueFactory = _ => "all" };
        var repeat = new Option<int>("--repeat")
        {
            Description = "Rounds of every scenario per broker, brokers alternating, a fresh broker process each; the table shows median (min–max)",
            DefaultValueFactory = _ => CompareOptions.DefaultRepeat,
        };
        var results = new Option<string?>("--results") { Description = "Directory for results (default <repo>/bench/results)" };
        var readyTimeout = new Option<double>("--ready-timeout") { Description = "Seconds to wait for a broker to accept MQTT connections", DefaultValueFactory = _ => 30 };

        var command = new Command("compare", "Start Bifro (one node, and two nodes for the cross-node path) and Mosquitto on free loopback ports and compare them side by side");
        foreach (var option in new Option[] { only, bifro, bifroTls, hashPassword, maxQueued, sleepingConsumer, postgres, clusterReady, clusterSettle, mosquitto, queue, scenarios, repeat, results, readyTimeout })
        {
            command.Options.Add(option);
        }

        load.AddTo(command);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var repo = RepoLocator.Find();
            var options = new CompareOptions
            {
                Targets = ParseTargets(parse.GetValue(only)),
                BifroCommand = parse.GetValue(bifro)!,
                BifroTlsCommand = parse.GetValue(bifroTls)!,
                HashPasswordCommand = parse.GetValue(hashPassword)!,
                BifroMaxQueued = parse.GetValue(maxQueued),
                SleepingConsumerMilliseconds = parse.GetValue(sleepingConsumer),
                PostgresConnectionString = parse.GetValue(postgres),
                ClusterReadyTimeout = TimeSpan.FromSeconds(parse.GetValue(clusterReady)),
                ClusterSettle = TimeSpan.FromSeconds(Math.Max(0, parse.GetValue(clusterSettle))),
                MosquittoPath = parse.GetValue(mosquitto)!,
                MosquittoMaxQueuedMessages = parse.GetValue(queue),
                Scenarios = ScenarioCatalog.Parse(parse.GetValue(scenarios)),
                Repeat = Math.Max(1, parse.GetValue(repeat)),
                Parameters = load.Parameters(parse),
                Version = load.Version(parse),
                RepoRoot = repo,
                ResultsRoot = parse.GetValue(results) ?? Path.Combine(repo, "bench", "results"),
                ReadyTimeout = TimeSpan.FromSeconds(parse.GetValue(readyTimeout)),
            };
            return await new CompareRunner(options).RunAsync();
        });
        return command;
    }

    /// <summary>"bifro,mosquitto" → targets in table order; null → bifro, cross-node and mosquitto. Throws on an unknown name.</summary>
    public static IReadOnlyList<string> ParseTargets(string? list)
    {
        if (string.IsNullOrWhiteSpace(list))
        {
            return [ReportWriter.Bifro, ReportWriter.CrossNode, ReportWriter.Mosquitto];
        }

        var wanted = new HashSet<string>();
        foreach (var name in list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            wanted.Add(s_targets.TryGetValue(name, out var target)
                ? target
                : throw new ArgumentException($"Unknown --only '{name}'. Known: {string.Join(", ", s_targets.Keys)}."));
        }

        return [.. s_targets.Values.Where(wanted.Contains)];
    }
}
