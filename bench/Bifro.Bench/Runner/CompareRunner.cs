using System.Globalization;
using System.Text.Json;
using Bifro.Bench.Mqtt;
using Bifro.Bench.Scenarios;

namespace Bifro.Bench.Runner;

/// <summary>
/// <c>bifro-bench compare</c>: for each broker in turn (Bifro, then Mosquitto), start it on a free loopback
/// port, run the chosen scenarios with the same parameters, stop it; then print and save the table and JSON.
/// A broker that dies is restarted for the next scenario, so one crash costs one scenario, not the run.
/// </summary>
internal sealed class CompareRunner(CompareOptions options)
{
    private static readonly TimeSpan s_stopGrace = TimeSpan.FromSeconds(10);
    private static readonly JsonSerializerOptions s_json = new() { WriteIndented = true };

    private readonly string _runId = DateTime.UtcNow.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture);
    private string _runDir = "";
    private TextWriter _log = Console.Out;

    public async Task<int> RunAsync()
    {
        _runDir = Path.Combine(options.ResultsRoot, _runId);
        Directory.CreateDirectory(_runDir);
        await using var logFile = new StreamWriter(Path.Combine(_runDir, "run.log"));
        _log = TextWriter.Synchronized(new TeeWriter(Console.Out, logFile));
        var machine = MachineInfo.Collect(options.RepoRoot, options.MosquittoPath);
        _log.WriteLine($"bifro-bench compare {_runId}: {string.Join(", ", options.Scenarios)}; results in {_runDir}");

        var results = new Dictionary<string, IReadOnlyList<ScenarioResult>>();
        if (options.RunBifro)
        {
            results[ReportWriter.Bifro] = await RunBrokerAsync(ReportWriter.Bifro);
        }

        if (options.RunMosquitto)
        {
            results[ReportWriter.Mosquitto] = await RunBrokerAsync(ReportWriter.Mosquitto);
        }

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
        var markdown = ReportWriter.Render(machine, options.Parameters, options.Scenarios, results, notes);
        Console.WriteLine();
        Console.WriteLine(markdown);
        await File.WriteAllTextAsync(Path.Combine(_runDir, "results.md"), markdown);
        var raw = new { runId = _runId, machine, options.Parameters, mqtt = options.Version.ToString(), options.BifroCommand, results };
        await File.WriteAllTextAsync(Path.Combine(_runDir, "results.json"), JsonSerializer.Serialize(raw, s_json));
        Console.WriteLine($"Saved {Path.Combine(_runDir, "results.md")} and results.json");
        return results.Values.SelectMany(r => r).Any(r => r.Error is not null) ? 1 : 0;
    }

    private async Task<IReadOnlyList<ScenarioResult>> RunBrokerAsync(string name)
    {
        var list = new List<ScenarioResult>();
        BrokerProcess? broker = null;
        var starts = 0;
        var ranOnBroker = 0;
        try
        {
            foreach (var scenario in options.Scenarios)
            {
                // Freed heap is rarely given back to the OS, so idle-memory needs a broker no load has grown.
                var fresh = broker is not null && !broker.HasExited && scenario == ScenarioCatalog.IdleMemory && ranOnBroker > 0;
                if (fresh && broker is not null)
                {
                    _log.WriteLine($"restarting {name} so that {scenario} starts from a fresh process");
                    await broker.StopAsync(s_stopGrace, _log);
                }

                if (broker is null || broker.HasExited)
                {
                    if (broker is not null && !fresh)
                    {
                        _log.WriteLine($"{name} exited; restarting it for {scenario}. Log tail:\n{broker.LogTail()}");
                    }

                    ranOnBroker = 0;

                    try
                    {
                        broker = await StartAsync(name, ++starts);
                    }
                    catch (Exception e)
                    {
                        _log.WriteLine($"{name} could not be started: {e.Message}");
                        list.AddRange(options.Scenarios.Skip(list.Count).Select(s => new ScenarioResult { Scenario = s, Error = $"{name} did not start: {FirstLine(e.Message)}" }));
                        break;
                    }
                }

                _log.WriteLine($"== {name} / {scenario}");
                var cpuBefore = CpuSample.Take(broker.Pid);
                var result = await RunScenarioAsync(scenario, broker);
                result.Cpu = CpuSample.Take(broker.Pid).Since(cpuBefore);
                ranOnBroker++;
                _log.WriteLine(
                    $"  CPU: broker {result.Cpu.BrokerSeconds:0.0} s, load generator {result.Cpu.LoadGenSeconds:0.0} s, " +
                    $"other processes {result.Cpu.OtherSeconds:0.0} s ({result.Cpu.OtherPercentOfMachine:0} % of the machine) in {result.Cpu.WallSeconds:0.0} s");
                if (broker.HasExited)
                {
                    result.Error ??= $"{name} exited during the scenario";
                }

                list.Add(result);
            }
        }
        finally
        {
            if (broker is not null)
            {
                await broker.StopAsync(s_stopGrace, _log);
            }
        }

        return list;
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
        return new ThroughputScenario(spec, settings, options.Parameters, _runId, _log).RunAsync();
    }

    private Task<BrokerProcess> StartAsync(string name, int attempt)
    {
        var port = LoopbackPort.FindFree();
        var logPath = Path.Combine(_runDir, $"{name.ToLowerInvariant()}.log");
        string command;
        if (name == ReportWriter.Mosquitto)
        {
            var conf = Path.Combine(_runDir, "mosquitto.conf");
            File.WriteAllText(conf, MosquittoConfig.Render(port, options.MosquittoMaxQueuedMessages));
            command = $"{options.MosquittoPath} -c {conf}";
        }
        else
        {
            // A fresh data directory per start: a restarted broker must not pick up the previous one's state.
            var dataDir = Path.Combine(_runDir, $"bifro-data-{attempt}");
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
