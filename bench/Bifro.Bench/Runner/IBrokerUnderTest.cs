namespace Bifro.Bench.Runner;

/// <summary>
/// What a run measures: one broker process (<see cref="BrokerProcess"/>) or a cluster of them
/// (<see cref="BifroCluster"/>), with the ports publishers and subscribers connect to.
/// </summary>
internal interface IBrokerUnderTest
{
    string Name { get; }

    /// <summary>MQTT port on 127.0.0.1 the publishers connect to.</summary>
    int PublisherPort { get; }

    /// <summary>MQTT port on 127.0.0.1 the subscribers connect to; another node's in a cross-node run.</summary>
    int SubscriberPort { get; }

    /// <summary>Every process of the broker, for CPU use.</summary>
    IReadOnlyList<int> Pids { get; }

    /// <summary>True when any of its processes has exited.</summary>
    bool HasExited { get; }

    /// <summary>SIGTERM to every process, then SIGKILL to those still running after <paramref name="grace"/>.</summary>
    Task StopAsync(TimeSpan grace, TextWriter log);

    string LogTail(int lines = 20);

    /// <summary>The log file of each process (every start appends to it, after a "=== bifro-bench:" header).</summary>
    IReadOnlyList<string> LogPaths { get; }
}
