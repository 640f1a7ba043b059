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
        var pid = new Option<int?>("--pid") { Description = "Broker pid, for idle-memory's VmRSS reading (without it only connects are measured) and broker CPU during the settle pause" };

        var command = new Command("scenario", "Run one scenario against a running broker and print its result as JSON");
        command.Arguments.Add(name);
        endpoint.AddTo(command, withVersion: false);
        command.Options.Add(pid);
        load.AddTo(command);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var settings = endpoint.Settings(parse, load.Version(parse));
            var parameters = load.Parameters(parse);
            var scenario = parse.GetValue(name)!;
            var runId = DateTime.UtcNow.ToString("HHmmss", System.Globalization.CultureInfo.InvariantCulture);
            Console.WriteLine($"== {scenario} on {settings.EndPoint}");
            var result = scenario == ScenarioCatalog.IdleMemory
                ? await new IdleMemoryScenario(settings, parameters, parse.GetValue(pid), runId, Console.Out).RunAsync()
                : await new ThroughputScenario(ScenarioCatalog.FindThroughput(scenario)!, settings, parameters, parse.GetValue(pid), runId, Console.Out).RunAsync();
            Console.WriteLine(JsonSerializer.Serialize(result, new JsonSerializerOptions { WriteIndented = true }));
            return result.Error is null ? 0 : 1;
        });
        return command;
    }
}
