using System.CommandLine;
using Bifro.Bench.Runner;
using Bifro.Bench.Scenarios;

namespace Bifro.Bench.Cli;

/// <summary><c>bifro-bench compare</c>: starts Bifro and Mosquitto, runs the scenarios on each, prints the table.</summary>
internal static class CompareCommand
{
    public static Command Create()
    {
        var load = new LoadOptions();
        var only = new Option<string?>("--only") { Description = "Run one broker only: bifro or mosquitto" };
        only.AcceptOnlyFromAmong("bifro", "mosquitto");
        var bifro = new Option<string>("--bifro")
        {
            Description = "Command line that starts Bifro; {port}, {datadir} and {repo} are substituted. It is exec'd by /bin/sh, so it must be one program",
            DefaultValueFactory = _ => CompareOptions.DefaultBifroCommand,
        };
        var mosquitto = new Option<string>("--mosquitto") { Description = "Path of the mosquitto binary", DefaultValueFactory = _ => "/usr/sbin/mosquitto" };
        var queue = new Option<int>("--mosquitto-max-queued")
        {
            Description = "max_queued_messages written to mosquitto.conf (Mosquitto's own default is 1000)",
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

        var command = new Command("compare", "Start Bifro and Mosquitto on free loopback ports and compare them side by side");
        foreach (var option in new Option[] { only, bifro, mosquitto, queue, scenarios, repeat, results, readyTimeout })
        {
            command.Options.Add(option);
        }

        load.AddTo(command);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var repo = RepoLocator.Find();
            var which = parse.GetValue(only);
            var options = new CompareOptions
            {
                RunBifro = which is null or "bifro",
                RunMosquitto = which is null or "mosquitto",
                BifroCommand = parse.GetValue(bifro)!,
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
}
