using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Bifro.Bench.Mqtt;
using Bifro.Bench.Scenarios;

namespace Bifro.Bench.Runner;

/// <summary>
/// <c>bifro-bench compare</c>: runs each chosen scenario <see cref="CompareOptions.Repeat"/> times per broker,
/// alternating brokers round by round (Bifro round 1, Mosquitto round 1, Bifro round 2, …) so that a slow
/// drift of the machine (another build starting, a thermal limit) reaches both. Every run gets a fresh broker
/// process on a free loopback port: rounds are independent samples, one scenario's heap or queues do not
/// carry into the next, and a broker that dies costs one run. Then prints and saves the table (medians and
/// ranges) and the JSON (the summary and every round's raw result).
/// </summary>
internal sealed class CompareRunner(CompareOptions options)
{
    private static readonly TimeSpan s_stopGrace = TimeSpan.FromSeconds(10);
    private static readonly JsonSerializerOptions s_json = new() { WriteIndented = true };

    private readonly string _runId = DateTime.UtcNow.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture);

    // A broker that could not start once is not tried again: the next start would most likely fail the same
    // way, after the same ready timeout, for every remaining run.
    private readonly Dictionary<string, string> _startFailures = [];
    private string _runDir = "";
    private TextWriter _log = Console.Out;

    public async Task<int> RunAsync()
    {
        _runDir = Path.Combine(options.ResultsRoot, _runId);
        Directory.CreateDirectory(_runDir);
        await using var logFile = new StreamWriter(Path.Combine(_runDir, "run.log"));
        _log = TextWriter.Synchronized(new TeeWriter(Console.Out, logFile));
        var machine = MachineInfo.Collect(options.RepoRoot, options.MosquittoPath);
        _log.WriteLine(
            $"bifro-bench compare {_runId}: {string.Join(", ", options.Scenarios)}; {options.Repeat} round(s) per broker; results in {_runDir}");

        var brokers = new List<string>();
        if (options.RunBifro)
        {
            brokers.Add(ReportWriter.Bifro);
        }

        if (options.RunMosquitto)
        {
            brokers.Add(ReportWriter.Mosquitto);
        }

        var runs = brokers.ToDictionary(b => b, _ => new List<ScenarioResult>());
        var total = options.Scenarios.Count * options.Repeat * brokers.Count;
        var done = 0;
        var elapsed = Stopwatch.StartNew();
        foreach (var scenario in options.Scenarios)
        {
            for (var round = 1; round <= options.Repeat; round++)
            {
                foreach (var broker in brokers)
                {
                    runs[broker].Add(await RunOnceAsync(broker, scenario, round));
                    done++;
                    var left = elapsed.Elapsed / done * (total - done);
                    _log.WriteLine($"  [{done}/{total}] {elapsed.Elapsed:m\\:ss} elapsed, about {left:m\\:ss} left");
                }
            }
        }

        var results = runs.ToDictionary(pair => pair.Key, pair => (IReadOnlyList<ScenarioResult>)pair.Value);
        var markdown = ReportWriter.Render(machine, options.Parameters, options.Repeat, options.Scenarios, results, Notes());
        Console.WriteLine();
        Console.WriteLine(markdown);
        await File.WriteAllTextAsync(Path.Combine(_runDir, "results.md"), markdown);
        var raw = new
        {
            runId = _runId,
            machine,
            options.Parameters,
            repeat = options.Repeat,
            mqtt = options.Version.ToString(),
            options.BifroCommand,
            wallSeconds = elapsed.Elapsed.TotalSeconds,
            summary = RunSummary.Build(results, options.Scenarios, options.Parameters),
            results,
        };
        await File.WriteAllTextAsync(Path.Combine(_runDir, "results.json"), JsonSerializer.Serialize(raw, s_json));
        Console.WriteLine($"Saved {Path.Combine(_runDir, "results.md")} and results.json ({elapsed.Elapsed:m\\:ss} in all)");
        return results.Values.SelectMany(r => r).Any(r => r.Error is not null) ? 1 : 0;
    }

    private List<string> Notes()
    {
        var notes = new List<string>();
        if (options.RunMosquitto)
        {
            notes.Add($"Mosquitto config: persistence false, set_tcp_nodelay true, max_queued_messages {options.MosquittoMaxQueuedMessages:#,0}, other limits default (mosquitto.conf in the results directory).");
        }

        if (options.RunBifro)
        {
            notes.Add($"Bifro command: `{options.BifroCommand}`.");
        }

        notes.Add($"MQTT {(options.Version == MqttVersion.V500 ? "5.0" : "3.1.1")}, clean session, keep alive {options.KeepAliveSeconds} s.");
        return notes;
    }

    /// <summary>One scenario, one round, one broker: start a fresh broker, run, stop it.</summary>
    private async Task<ScenarioResult> RunOnceAsync(string name, string scenario, int round)
    {
        _log.WriteLine($"== {name} / {scenario}, round {round} of {options.Repeat}");
        if (_startFailures.TryGetValue(name, out var reason))
        {
            return new ScenarioResult { Scenario = scenario, Round = round, Error = $"{name} did not start: {reason}" };
        }

        BrokerProcess broker;
        try
        {
            broker = await StartAsync(name, scenario, round);
        }
        catch (Exception e)
        {
            _log.WriteLine($"{name} could not be started: {e.Message}");
            _startFailures[name] = FirstLine(e.Message);
            return new ScenarioResult { Scenario = scenario, Round = round, Error = $"{name} did not start: {FirstLine(e.Message)}" };
        }

        try
        {
            var cpuBefore = CpuSample.Take(broker.Pid);
            var result = await RunScenarioAsync(scenario, broker);
            result.Round = round;
            result.Cpu = CpuSample.Take(broker.Pid).Since(cpuBefore);
            _log.WriteLine(
                $"  CPU: broker {result.Cpu.BrokerSeconds:0.0} s, load generator {result.Cpu.LoadGenSeconds:0.0} s, " +
                $"other processes {result.Cpu.OtherSeconds:0.0} s ({result.Cpu.OtherPercentOfMachine:0} % of the machine) in {result.Cpu.WallSeconds:0.0} s");
            if (broker.HasExited)
            {
                result.Error ??= $"{name} exited during the scenario";
                _log.WriteLine($"{name} exited during {scenario}. Log tail:\n{broker.LogTail()}");
            }

            return result;
        }
        finally
        {
            await broker.StopAsync(s_stopGrace, _log);
        }
    }

    private Task<ScenarioResult> RunScenarioAsync(string scenario, BrokerProcess broker)
    {
        var settings = new ConnectionSettings(
            new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, broker.Port), options.Version, options.KeepAliveSeconds, options.HandshakeTimeout);
        if (scenario == ScenarioCatalog.IdleMemory)
        {
            return new IdleMemoryScenario(settings, options.Parameters, broker.Pid, _runId, _log).RunAsync();
        }

        var spec = ScenarioCatalog.FindThroughput(scenario) ?? throw new ArgumentException($"Unknown scenario {scenario}.");
        return new ThroughputScenario(spec, settings, options.Parameters, broker.Pid, _runId, _log).RunAsync();
    }

    private Task<BrokerProcess> StartAsync(string name, string scenario, int round)
    {
        var port = LoopbackPort.FindFree();
        var logPath = Path.Combine(_runDir, $"{name.ToLowerInvariant()}.log");

        // Every start appends to the same log; a header says which run the lines that follow belong to.
        File.AppendAllText(logPath, $"=== bifro-bench: {scenario}, round {round}, port {port} ===\n");
        string command;
        if (name == ReportWriter.Mosquitto)
        {
            var conf = Path.Combine(_runDir, "mosquitto.conf");
            File.WriteAllText(conf, MosquittoConfig.Render(port, options.MosquittoMaxQueuedMessages));
            command = $"{options.MosquittoPath} -c {conf}";
        }
        else
        {
            // A fresh data directory per start: a broker must not pick up the previous one's state.
            var dataDir = Path.Combine(_runDir, $"bifro-data-{scenario}-{round}");
            Directory.CreateDirectory(dataDir);
            command = options.BifroCommand
                .Replace("{repo}", options.RepoRoot, StringComparison.Ordinal)
                .Replace("{port}", port.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal)
                .Replace("{datadir}", dataDir, StringComparison.Ordinal)
                .Replace("{maxqueued}", options.MosquittoMaxQueuedMessages.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal);
        }

        return BrokerProcess.StartAsync(name, command, port, logPath, options.ReadyTimeout, _log);
    }

    private static string FirstLine(string text) => text.Split('\n')[0];
}
