using Bifro.Bench.Mqtt;
using Bifro.Bench.Scenarios;

namespace Bifro.Bench.Runner;

/// <summary>Everything <c>bifro-bench compare</c> was asked to do.</summary>
internal sealed record CompareOptions
{
    /// <summary>The default <c>--bifro</c>; {repo}, {port}, {datadir} and {maxqueued} are substituted.</summary>
    public const string DefaultBifroCommand = "dotnet {repo}/src/Silo/bin/Release/net10.0/bifro.dll --port {port} --data-dir {datadir} --auth allow-all --Bifro:Mqtt:MaxQueuedMessages={maxqueued}";

    /// <summary>
    /// The default <c>--bifro-tls</c>: the same node as <see cref="DefaultBifroCommand"/> with TLS instead of plain
    /// TCP on {port}, and the file auth provider instead of allow-all. {users}, {cert} and {key} are the run's
    /// users file, server certificate and key (<see cref="TlsAuthSetup"/>). A second `--auth` on the command
    /// line would not replace the first, hence a command of its own rather than arguments appended to --bifro.
    /// </summary>
    public const string DefaultBifroTlsCommand =
        "dotnet {repo}/src/Silo/bin/Release/net10.0/bifro.dll --data-dir {datadir} --auth file --Bifro:Auth:File:Path={users} " +
        "--Bifro:Mqtt:Tcp:Enabled=false --Bifro:Mqtt:Tls:Enabled=true --Bifro:Mqtt:Tls:BindAddress=127.0.0.1 --Bifro:Mqtt:Tls:Port={port} " +
        "--Bifro:Mqtt:Tls:Certificate:Path={cert} --Bifro:Mqtt:Tls:Certificate:KeyPath={key} --Bifro:Mqtt:MaxQueuedMessages={maxqueued}";

    /// <summary>The default <c>--hash-password</c>: Bifro's own command, at the iterations of <see cref="TlsAuthSetup.HashIterations"/>.</summary>
    public static readonly string DefaultHashPasswordCommand =
        $"dotnet {{repo}}/src/Silo/bin/Release/net10.0/bifro.dll hash-password --iterations {TlsAuthSetup.HashIterations}";

    /// <summary>The default <c>--repeat</c>.</summary>
    public const int DefaultRepeat = 3;

    /// <summary>
    /// Bifro's per-client queue in these runs ({maxqueued}, 1,000,000): far above what a run queues, so a
    /// connected subscriber loses nothing unless Bifro's back-pressure gives up on it.
    /// </summary>
    public const int DefaultBifroMaxQueued = 1_000_000;

    /// <summary>What runs, in table order: single-node Bifro, Bifro across two nodes, Mosquitto.</summary>
    public IReadOnlyList<string> Targets { get; init; } = [ReportWriter.Bifro, ReportWriter.CrossNode, ReportWriter.Mosquitto];

    public bool RunBifro => Targets.Contains(ReportWriter.Bifro);

    public bool RunCrossNode => Targets.Contains(ReportWriter.CrossNode);

    public bool RunMosquitto => Targets.Contains(ReportWriter.Mosquitto);

    /// <summary>True when a TLS+auth target runs: the certificates, users and ACLs are needed.</summary>
    public bool RunTlsAuth => Targets.Any(ReportWriter.IsTlsAuth);

    public string BifroCommand { get; init; } = DefaultBifroCommand;

    /// <summary>How to start Bifro over TLS with the file auth provider (<c>--bifro-tls</c>).</summary>
    public string BifroTlsCommand { get; init; } = DefaultBifroTlsCommand;

    /// <summary>A shell command that reads a password on stdin and prints Bifro's hash of it (<c>--hash-password</c>).</summary>
    public string HashPasswordCommand { get; init; } = DefaultHashPasswordCommand;

    public int BifroMaxQueued { get; init; } = DefaultBifroMaxQueued;

    /// <summary>
    /// <c>--sleeping-consumer MS</c>: Bifro runs with an event collector that sleeps this long per batch and every
    /// PUBLISH an event (<see cref="SleepingConsumer"/>); null (the default) runs the Bifro command as it is.
    /// </summary>
    public int? SleepingConsumerMilliseconds { get; init; }

    /// <summary>An existing PostgreSQL server for the cross-node runs (<c>--postgres</c>); null starts a throwaway one.</summary>
    public string? PostgresConnectionString { get; init; }

    /// <summary>How long a new cluster may take until a message published on node a reaches node b (60 s by default).</summary>
    public TimeSpan ClusterReadyTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Pause after a new cluster is ready and before the scenario (6 s by default): past the route reloads
    /// Bifro's edges do 0.5 s and 5 s after a membership change, during which subscriptions were seen to be
    /// lost (bench/README.md, Cross-node mode).
    /// </summary>
    public TimeSpan ClusterSettle { get; init; } = TimeSpan.FromSeconds(6);

    public string MosquittoPath { get; init; } = "/usr/sbin/mosquitto";

    /// <summary>max_queued_messages in mosquitto.conf; 0 (no limit) by default, see <see cref="MosquittoConfig"/>.</summary>
    public int MosquittoMaxQueuedMessages { get; init; } = MosquittoConfig.DefaultMaxQueuedMessages;

    public required IReadOnlyList<string> Scenarios { get; init; }

    /// <summary>Rounds per scenario and broker (3 by default); the table shows the median and the range.</summary>
    public int Repeat { get; init; } = DefaultRepeat;

    public required RunParameters Parameters { get; init; }

    public MqttVersion Version { get; init; } = MqttVersion.V311;

    public required string RepoRoot { get; init; }

    public required string ResultsRoot { get; init; }

    public TimeSpan ReadyTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Keep alive in CONNECT: longer than any scenario, so the load needs no PINGREQ.</summary>
    public ushort KeepAliveSeconds { get; init; } = 300;

    public TimeSpan HandshakeTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Whether <paramref name="target"/> runs <paramref name="scenario"/>. idle-memory has no publishers, so no
    /// cross-node run; nor a TLS+auth one: its 10,000 connects would measure handshakes and password hashing,
    /// not what an idle connection costs in memory.
    /// </summary>
    public static bool Applies(string target, string scenario) =>
        scenario != ScenarioCatalog.IdleMemory || (target != ReportWriter.CrossNode && !ReportWriter.IsTlsAuth(target));
}
