namespace Bifro.Bench.Scenarios;

/// <summary>The measured outcome of one phase, as reported and written to JSON.</summary>
internal sealed record PhaseResult
{
    public required string Phase { get; init; }

    /// <summary>Messages each publisher was asked to send.</summary>
    public long MessagesPerPublisher { get; init; }

    /// <summary>Target publish rate of each publisher in paced phases, 0 for max rate.</summary>
    public double TargetRatePerPublisher { get; init; }

    public long Sent { get; init; }

    public long Expected { get; init; }

    public long Received { get; init; }

    public double DeliveredPercent => Expected == 0 ? 0 : 100.0 * Received / Expected;

    /// <summary>From the first send to the last receive.</summary>
    public double Seconds { get; init; }

    /// <summary>Received / <see cref="Seconds"/>.</summary>
    public double DeliveredPerSecond => Seconds > 0 ? Received / Seconds : 0;

    /// <summary>From the first to the last send, over all publishers.</summary>
    public double PublishSeconds { get; init; }

    public double P50Ms { get; init; }

    public double P90Ms { get; init; }

    public double P99Ms { get; init; }

    public double P999Ms { get; init; }

    public double MaxMs { get; init; }

    /// <summary>Received messages this run did not stamp (should be 0).</summary>
    public long Foreign { get; init; }

    /// <summary>Subscribers that received no message of the phase (should be 0): a lost route rather than lost messages.</summary>
    public int SubscribersWithNothing { get; init; }

    /// <summary>QoS 1 publishes the broker acked with a failure code (5.0 only; should be 0).</summary>
    public long Rejected { get; init; }

    /// <summary>Bytes the load generator allocated during the phase (its efficiency check: stays small).</summary>
    public long LoadGenAllocatedBytes { get; init; }

    /// <summary>Time the load generator spent paused in its own GC during the phase.</summary>
    public double LoadGenGcPauseMs { get; init; }

    /// <summary>
    /// CPU used during the phase by the broker, the load generator and the rest of the machine (from the first
    /// send until the phase ended; null when the broker's pid is unknown). Per message, the broker's share is
    /// what a message costs it whatever else runs on the machine, unlike msg/s, which on a shared machine also
    /// measures what the load generator and other processes take.
    /// </summary>
    public CpuUsage? Cpu { get; init; }

    /// <summary>Broker CPU microseconds per delivered message, or null.</summary>
    public double? BrokerMicrosecondsPerMessage => Cpu is null || Received == 0 ? null : Cpu.BrokerSeconds * 1e6 / Received;

    /// <summary>Load generator CPU microseconds per delivered message, or null.</summary>
    public double? LoadGenMicrosecondsPerMessage => Cpu is null || Received == 0 ? null : Cpu.LoadGenSeconds * 1e6 / Received;

    /// <summary>True when every expected message arrived before the quiet timeout.</summary>
    public bool Complete => Received >= Expected;
}
