using Bifro.Bench.Mqtt;
using Bifro.Bench.Scenarios;

namespace Bifro.Bench.Runner;

/// <summary>Everything <c>bifro-bench compare</c> was asked to do.</summary>
internal sealed record CompareOptions
{
    /// <summary>The default <c>--bifro</c>; {repo}, {port}, {datadir} and {maxqueued} are substituted.</summary>
    // The queue limit matches the one the runner gives Mosquitto (max_queued_messages), so both brokers
    // drop, or not, under the same rule.
    public const string DefaultBifroCommand = "dotnet {repo}/src/Silo/bin/Release/net10.0/bifro.dll --port {port} --data-dir {datadir} --auth allow-all --Bifro:Mqtt:MaxQueuedMessages={maxqueued}";

    /// <summary>The default <c>--repeat</c>.</summary>
    public const int DefaultRepeat = 3;

    public bool RunBifro { get; init; } = true;

    public bool RunMosquitto { get; init; } = true;

    public string BifroCommand { get; init; } = DefaultBifroCommand;

    public string MosquittoPath { get; init; } = "/usr/sbin/mosquitto";

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
}
