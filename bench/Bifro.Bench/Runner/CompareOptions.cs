using Bifro.Bench.Mqtt;
using Bifro.Bench.Scenarios;

namespace Bifro.Bench.Runner;

/// <summary>Everything <c>bifro-bench compare</c> was asked to do.</summary>
internal sealed record CompareOptions
{
    /// <summary>The default <c>--bifro</c>; {repo}, {port}, {datadir} and {maxqueued} are substituted.</summary>
    public const string DefaultBifroCommand = "dotnet {repo}/src/Silo/bin/Release/net10.0/bifro.dll --port {port} --data-dir {datadir} --auth allow-all --Bifro:Mqtt:MaxQueuedMessages={maxqueued}";

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

    public string BifroCommand { get; init; } = DefaultBifroCommand;

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

    /// <summary>Whether <paramref name="target"/> runs <paramref name="scenario"/>: idle-memory has no publishers, so no cross-node run.</summary>
    public static bool Applies(string target, string scenario) => target != ReportWriter.CrossNode || scenario != ScenarioCatalog.IdleMemory;
}
