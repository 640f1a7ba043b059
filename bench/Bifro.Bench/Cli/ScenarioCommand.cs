using System.CommandLine;
using System.Text.Json;
using Bifro.Bench.Scenarios;

namespace Bifro.Bench.Cli;

/// <summary><c>bifro-bench scenario NAME</c>: one scenario against a broker that is already running.</summary>
internal static class ScenarioCommand
{
    public static Command Create()
    {
        var endpoint = new EndpointOptions();
        var load = new LoadOptions();
        var name = new Argument<string>("name") { Description = string.Join(", ", ScenarioCatalog.Names) };
        name.AcceptOnlyFromAmong([.. ScenarioCatalog.Names]);
        var pid = new Option<int[]>("--pid")
        {
            Description = "Broker pid, for idle-memory's VmRSS reading (without it only connects are measured) and broker CPU during the settle pause; repeat it for a cluster's nodes",
            AllowMultipleArgumentsPerToken = true,
        };
        var publisherPort = new Option<int?>("--publisher-port")
        {
            Description = "Publishers connect to this port instead of --port (a cross-node run: subscribers on --port, publishers on another node)",
        };

        var command = new Command("scenario", "Run one scenario against a running broker and print its result as JSON");
        command.Arguments.Add(name);
        endpoint.AddTo(command, withVersion: false);
        command.Options.Add(pid);
        command.Options.Add(publisherPort);
        load.AddTo(command);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var settings = endpoint.Settings(parse, load.Version(parse));
            var publishers = parse.GetValue(publisherPort) is { } port
                ? settings with { EndPoint = new System.Net.IPEndPoint(settings.EndPoint.Address, port) }
                : settings;
            var pids = parse.GetValue(pid) ?? [];
            var parameters = load.Parameters(parse);
            var scenario = parse.GetValue(name)!;
            var runId = DateTime.UtcNow.ToString("HHmmss", System.Globalization.CultureInfo.InvariantCulture);
            Console.WriteLine(publishers == settings ? $"== {scenario} on {settings.EndPoint}" : $"== {scenario}: publishers on {publishers.EndPoint}, subscribers on {settings.EndPoint}");
            var result = scenario == ScenarioCatalog.IdleMemory
                ? await new IdleMemoryScenario(settings, parameters, pids.Length > 0 ? pids[0] : null, runId, Console.Out).RunAsync()
                : await new ThroughputScenario(ScenarioCatalog.FindThroughput(scenario)!, new ScenarioEndpoints(publishers, settings, pids), parameters, runId, Console.Out).RunAsync();
            Console.WriteLine(JsonSerializer.Serialize(result, new JsonSerializerOptions { WriteIndented = true }));
            return result.Error is null ? 0 : 1;
        });
        return command;
    }
}
