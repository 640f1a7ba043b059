using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Bifro.Bench.Mqtt;
using Bifro.Bench.Scenarios;

namespace Bifro.Bench.Runner;

/// <summary>
/// <c>bifro-bench compare</c>: runs each chosen scenario <see cref="CompareOptions.Repeat"/> times per target
/// (single-node Bifro, Bifro over TLS with the file auth provider, Bifro across two nodes, Mosquitto, Mosquitto
/// over TLS with a password file and ACL), alternating targets round by round (Bifro round 1, Bifro TLS+auth
/// round 1, cross-node round 1, Mosquitto round 1, …) so that a slow drift of the machine (another build
/// starting, a thermal limit) reaches all. Every run gets a fresh broker (a fresh two-node cluster for
/// cross-node) on free loopback ports: rounds are independent samples, one scenario's heap or queues do not
/// carry into the next, and a broker that dies costs one run. Then prints and saves the table (medians and
/// ranges) and the JSON (the summary and every round's raw result). Brokers, and the PostgreSQL server or
/// database of the cross-node runs, are stopped on every way out: normal end, exception, or a signal
/// (<see cref="ExitGuard"/>).
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
    private PostgresDatabase? _postgres;
    private TlsAuthSetup? _tlsAuth;

    // What the ready probe of each TLS+auth target negotiated ("Tls13 TLS_AES_256_GCM_SHA384"), for the notes.
    private readonly Dictionary<string, string> _negotiated = [];

    public async Task<int> RunAsync()
    {
        _runDir = Path.Combine(options.ResultsRoot, _runId);
        Directory.CreateDirectory(_runDir);
        await using var logFile = new StreamWriter(Path.Combine(_runDir, "run.log")) { AutoFlush = true };
        _log = TextWriter.Synchronized(new TeeWriter(Console.Out, logFile));
        ExitGuard.Log = _log;
        ExitGuard.Install();
        try
        {
            return await RunAllAsync();
        }
        finally
        {
            _postgres?.Dispose();
            _tlsAuth?.Dispose();
            ExitGuard.WaitForSignalCleanup();
            ExitGuard.Log = Console.Error;
        }
    }

    private async Task<int> RunAllAsync()
    {
        if (options.SleepingConsumerMilliseconds is not null && !SleepingConsumer.IsBuilt(options.RepoRoot))
        {
            _log.WriteLine("--sleeping-consumer needs test/TestPlugins built in Release (bench/run builds it when the option is given)");
            return 1;
        }

        var machine = MachineInfo.Collect(options.RepoRoot, options.MosquittoPath);
        _log.WriteLine(
            $"bifro-bench compare {_runId} (pid {Environment.ProcessId}): {string.Join(", ", options.Scenarios)}; " +
            $"{string.Join(", ", options.Targets)}; {options.Repeat} round(s) each; results in {_runDir}");

        var targets = options.Targets;
        if (options.RunCrossNode && options.Scenarios.Any(s => CompareOptions.Applies(ReportWriter.CrossNode, s)))
        {
            await StartPostgresAsync();
        }

        if (options.RunTlsAuth)
        {
            PrepareTlsAuth();
        }

        var runs = targets.ToDictionary(b => b, _ => new List<ScenarioResult>());
        var total = options.Scenarios.Sum(s => targets.Count(t => CompareOptions.Applies(t, s))) * options.Repeat;
        var done = 0;
        var elapsed = Stopwatch.StartNew();
        foreach (var scenario in options.Scenarios)
        {
            for (var round = 1; round <= options.Repeat; round++)
            {
                foreach (var target in targets.Where(t => CompareOptions.Applies(t, scenario)))
                {
                    if (ExitGuard.Exiting)
                    {
                        break; // A signal came: the guard is stopping everything; report what was measured.
                    }

                    runs[target].Add(await RunOnceAsync(target, scenario, round));
                    done++;
                    var left = elapsed.Elapsed / done * (total - done);
                    _log.WriteLine($"  [{done}/{total}] {elapsed.Elapsed:m\\:ss} elapsed, about {left:m\\:ss} left");
                }
            }
        }

        var results = runs.ToDictionary(pair => pair.Key, pair => (IReadOnlyList<ScenarioResult>)pair.Value);
        var markdown = ReportWriter.Render(machine, options.Parameters, options.Repeat, options.Scenarios, results, Notes(results));
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
            options.SleepingConsumerMilliseconds,
            bifroTlsCommand = options.Targets.Contains(ReportWriter.BifroTls) ? options.BifroTlsCommand : null,
            tlsAuth = options.RunTlsAuth ? new { negotiated = _negotiated, hashIterations = TlsAuthSetup.HashIterations, user = TlsAuthSetup.Username, acl = $"{TlsAuthSetup.TopicRoot}/#" } : null,
            crossNode = options.RunCrossNode ? new { postgres = _postgres?.Description, clusterArguments = ClusterArgumentsForReport() } : null,
            mosquittoMaxQueuedMessages = options.MosquittoMaxQueuedMessages,
            wallSeconds = elapsed.Elapsed.TotalSeconds,
            summary = RunSummary.Build(results, options.Scenarios, options.Parameters),
            results,
        };
        await File.WriteAllTextAsync(Path.Combine(_runDir, "results.json"), JsonSerializer.Serialize(raw, s_json));
        Console.WriteLine($"Saved {Path.Combine(_runDir, "results.md")} and results.json ({elapsed.Elapsed:m\\:ss} in all)");
        return results.Values.SelectMany(r => r).Any(r => r.Error is not null) ? 1 : 0;
    }

    private async Task StartPostgresAsync()
    {
        try
        {
            _postgres = await PostgresDatabase.CreateAsync(options.PostgresConnectionString, options.RepoRoot, _runId, _log);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            _log.WriteLine($"PostgreSQL for the cross-node runs: {e.Message}");
            _startFailures[ReportWriter.CrossNode] = $"no PostgreSQL: {FirstLine(e.Message)}";
        }
    }

    private void PrepareTlsAuth()
    {
        try
        {
            _tlsAuth = TlsAuthSetup.Create(options.HashPasswordCommand.Replace("{repo}", options.RepoRoot, StringComparison.Ordinal), _runDir, _log);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            _log.WriteLine($"TLS+auth setup: {e.Message}");
            foreach (var target in options.Targets.Where(ReportWriter.IsTlsAuth))
            {
                _startFailures[target] = $"no TLS+auth setup: {FirstLine(e.Message)}";
            }
        }
    }

    private List<string> Notes(Dictionary<string, IReadOnlyList<ScenarioResult>> results)
    {
        var notes = new List<string>();
        if (options.RunMosquitto)
        {
            var queue = options.MosquittoMaxQueuedMessages == 0 ? "0 (no limit)" : options.MosquittoMaxQueuedMessages.ToString("#,0", CultureInfo.InvariantCulture);
            notes.Add($"Mosquitto config: persistence false, set_tcp_nodelay true, max_queued_messages {queue}, other limits default (mosquitto.conf in the results directory; bench/README.md says why).");
        }

        if (options.RunBifro || options.RunCrossNode)
        {
            notes.Add($"Bifro command: `{options.BifroCommand}` ({{maxqueued}} = {options.BifroMaxQueued:#,0}).");
        }

        if (options.SleepingConsumerMilliseconds is { } sleep)
        {
            var counted = results.Where(r => !ReportWriter.IsMosquitto(r.Key)).SelectMany(r => r.Value.Select(run => (Target: r.Key, Run: run)))
                .Where(x => x.Run.ConsumerEventsDropped is not null)
                .Select(x => string.Create(CultureInfo.InvariantCulture, $"{x.Target} {x.Run.Scenario} round {x.Run.Round}: {x.Run.ConsumerEventsDelivered:#,0} got, {x.Run.ConsumerEventsDropped:#,0} missed, {x.Run.ConsumerEventsQueued:#,0} queued at the stop"))
                .ToList();
            notes.Add(
                $"Sleeping consumer (--sleeping-consumer {sleep}): Bifro ran with one event collector that sleeps {sleep} ms per batch and every PUBLISH an event " +
                $"(`{SleepingConsumer.Arguments("{repo}", sleep)}`). Events it got and missed (dropped and counted by the node), per run: " +
                $"{(counted.Count > 0 ? string.Join("; ", counted) : "none logged")}.");
        }

        if (options.RunTlsAuth)
        {
            var negotiated = _negotiated.Count == 0 ? "" : " Negotiated: " + string.Join(", ", _negotiated.Select(p => $"{p.Key} {p.Value}")) + ".";
            notes.Add(
                "TLS+auth: every connection over TLS (server certificate for localhost from a CA made by the run with openssl, EC P-256; the load generator " +
                $"trusts that CA only), with user name and password in CONNECT.{negotiated} Bifro TLS+auth: `{options.BifroTlsCommand}`, the file auth provider " +
                $"(one user, PBKDF2-SHA256 with {TlsAuthSetup.HashIterations:#,0} iterations; one ACL rule allowing publish and subscribe on {TlsAuthSetup.TopicRoot}/#, QoS 0 and 1), " +
                "authorization decisions cached per connection (Bifro:Auth:DecisionCacheTtl, 1 min by default). Mosquitto TLS+auth: the same certificate and key, " +
                $"allow_anonymous false, a password_file (mosquitto_passwd) and an acl_file allowing readwrite on {TlsAuthSetup.TopicRoot}/# (mosquitto-tls.conf, bifro-users.json and mosquitto.acl in the results directory). " +
                "TLS+auth/plain is the TLS+auth median over the plain median of the same broker.");
        }

        if (options.RunCrossNode)
        {
            notes.Add(
                "Bifro cross-node: two nodes (silo + edge each) in one cluster, publishers connected to node a, subscribers to node b, so every " +
                "message takes the hop from a's edge to b's edge. Each node is the Bifro command plus " +
                $"`{ClusterArgumentsForReport()}`; PostgreSQL: {_postgres?.Description ?? "none"}. Broker CPU is both nodes'; PostgreSQL's is under other processes. " +
                "cross/1-node is cross-node median / single-node median; Δ is cross-node median − single-node median, the latency the hop adds.");
        }

        notes.Add($"MQTT {(options.Version == MqttVersion.V500 ? "5.0" : "3.1.1")}, clean session, keep alive {options.KeepAliveSeconds} s.");
        return notes;
    }

    private static string ClusterArgumentsForReport() =>
        BifroCluster.ClusterArguments("{a|b}", "bench-{scenario}-{round}", "<run database>", 0, 0, migrate: false)
            .Replace("SiloPort=0", "SiloPort={free port}", StringComparison.Ordinal)
            .Replace("GatewayPort=0", "GatewayPort={free port}", StringComparison.Ordinal);

    /// <summary>One scenario, one round, one target: start a fresh broker (or cluster), run, stop it.</summary>
    private async Task<ScenarioResult> RunOnceAsync(string name, string scenario, int round)
    {
        _log.WriteLine($"== {name} / {scenario}, round {round} of {options.Repeat}");
        if (_startFailures.TryGetValue(name, out var reason))
        {
            return new ScenarioResult { Scenario = scenario, Round = round, Error = $"{name} did not start: {reason}" };
        }

        var mosquittoLog = Path.Combine(_runDir, $"{ReportWriter.LogName(name)}.log");
        var logOffset = ReportWriter.IsMosquitto(name) && File.Exists(mosquittoLog) ? new FileInfo(mosquittoLog).Length : 0;
        IBrokerUnderTest broker;
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

        ScenarioResult? result = null;
        try
        {
            var cpuBefore = CpuSample.Take(broker.Pids);
            result = await RunScenarioAsync(scenario, broker, name);
            result.Round = round;
            result.Cpu = CpuSample.Take(broker.Pids).Since(cpuBefore);
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
            if (result is not null && !ReportWriter.IsMosquitto(name) && options.SleepingConsumerMilliseconds is not null
                && SleepingConsumer.ReadCounts(broker.LogPaths) is { } consumed)
            {
                (result.ConsumerEventsDelivered, result.ConsumerEventsDropped, result.ConsumerEventsQueued) = consumed;
                _log.WriteLine($"  sleeping consumer: {consumed.Delivered:#,0} events got, {consumed.Dropped:#,0} missed (dropped and counted by the node), {consumed.Queued:#,0} queued at the stop");
            }

            if (result is not null && ReportWriter.IsMosquitto(name))
            {
                result.DropNotices = MosquittoConfig.CountDropNotices(mosquittoLog, logOffset);
                if (result.DropNotices > 0)
                {
                    _log.WriteLine($"  {Path.GetFileName(mosquittoLog)}: {result.DropNotices} \"Outgoing messages are being dropped\" notice(s) in this run");
                }
            }
        }
    }

    private Task<ScenarioResult> RunScenarioAsync(string scenario, IBrokerUnderTest broker, string target)
    {
        if (scenario == ScenarioCatalog.IdleMemory)
        {
            return new IdleMemoryScenario(Settings(broker.SubscriberPort, target), options.Parameters, broker.Pids[0], _runId, _log).RunAsync();
        }

        var spec = ScenarioCatalog.FindThroughput(scenario) ?? throw new ArgumentException($"Unknown scenario {scenario}.");
        var endpoints = new ScenarioEndpoints(Settings(broker.PublisherPort, target), Settings(broker.SubscriberPort, target), broker.Pids);
        return new ThroughputScenario(spec, endpoints, options.Parameters, _runId, _log).RunAsync();
    }

    /// <summary>How the load generator connects to <paramref name="target"/>: over TLS with credentials for a TLS+auth one.</summary>
    private ConnectionSettings Settings(int port, string target)
    {
        var plain = new ConnectionSettings(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, port), options.Version, options.KeepAliveSeconds, options.HandshakeTimeout);
        return ReportWriter.IsTlsAuth(target)
            ? (_tlsAuth ?? throw new InvalidOperationException("No TLS+auth setup.")).Secure(plain)
            : plain;
    }

    private async Task<IBrokerUnderTest> StartAsync(string name, string scenario, int round)
    {
        if (name == ReportWriter.CrossNode)
        {
            return await StartClusterAsync(scenario, round);
        }

        var port = LoopbackPort.FindFree();
        var stem = ReportWriter.LogName(name);
        var logPath = Path.Combine(_runDir, $"{stem}.log");

        // Every start appends to the same log; a header says which run the lines that follow belong to.
        File.AppendAllText(logPath, $"=== bifro-bench: {scenario}, round {round}, port {port} ===\n");
        var secure = ReportWriter.IsTlsAuth(name) ? _tlsAuth ?? throw new InvalidOperationException("No TLS+auth setup.") : null;
        string command;
        if (ReportWriter.IsMosquitto(name))
        {
            var conf = Path.Combine(_runDir, $"{stem}.conf");
            File.WriteAllText(conf, MosquittoConfig.Render(port, options.MosquittoMaxQueuedMessages, secure));
            command = $"{options.MosquittoPath} -c {conf}";
        }
        else
        {
            var template = secure is null ? options.BifroCommand : options.BifroTlsCommand;
            command = BifroCommand(template, port, DataDirectory($"{stem}-data-{scenario}-{round}"));
        }

        // The probe connects as the scenario will (TLS and credentials included): a setup the broker refuses
        // fails the start with the reason rather than the first phase.
        var broker = await BrokerProcess.StartAsync(name, command, Settings(port, name), logPath, options.ReadyTimeout, _log);
        if (broker.NegotiatedTls is { } tls)
        {
            _negotiated[name] = tls;
        }

        return broker;
    }

    /// <summary>
    /// A new cluster per run, with its own ClusterId and ServiceId: nodes of an earlier round (dead, in the
    /// membership table) and their grain state stay out of it. Both share the run's database.
    /// </summary>
    private Task<BifroCluster> StartClusterAsync(string scenario, int round)
    {
        var postgres = _postgres ?? throw new InvalidOperationException("No PostgreSQL database for the cross-node runs.");
        var clusterId = $"bench-{scenario}-{round}";
        return BifroCluster.StartAsync(
            node =>
            {
                var ports = LoopbackPort.FindFree(3); // MQTT, silo, gateway
                var port = ports[0];
                var logPath = Path.Combine(_runDir, $"bifro-cross-node-{node}.log");
                File.AppendAllText(logPath, $"=== bifro-bench: {scenario}, round {round}, node {node}, ports {string.Join('/', ports)} (MQTT/silo/gateway) ===\n");
                var command = BifroCommand(options.BifroCommand, port, DataDirectory($"bifro-cross-node-data-{scenario}-{round}-{node}")) + " " +
                    BifroCluster.ClusterArguments(node, clusterId, postgres.ConnectionString, ports[1], ports[2], migrate: node == "a");
                return (command, port, logPath);
            },
            options.ReadyTimeout,
            options.ClusterReadyTimeout,
            options.ClusterSettle,
            options.Version,
            _log);
    }

    /// <summary>A fresh data directory per start: a broker must not pick up the previous one's state.</summary>
    private string DataDirectory(string name)
    {
        var dataDir = Path.Combine(_runDir, name);
        Directory.CreateDirectory(dataDir);
        return dataDir;
    }

    private string BifroCommand(string template, int port, string dataDir)
    {
        var command = template
            .Replace("{repo}", options.RepoRoot, StringComparison.Ordinal)
            .Replace("{users}", _tlsAuth?.BifroUsersFile ?? "", StringComparison.Ordinal)
            .Replace("{cert}", _tlsAuth?.ServerCertificate ?? "", StringComparison.Ordinal)
            .Replace("{key}", _tlsAuth?.ServerKey ?? "", StringComparison.Ordinal)
            .Replace("{port}", port.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace("{datadir}", dataDir, StringComparison.Ordinal)
            .Replace("{maxqueued}", options.BifroMaxQueued.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal);
        return options.SleepingConsumerMilliseconds is { } sleep ? command + " " + SleepingConsumer.Arguments(options.RepoRoot, sleep) : command;
    }

    private static string FirstLine(string text) => text.Split('\n')[0];
}
