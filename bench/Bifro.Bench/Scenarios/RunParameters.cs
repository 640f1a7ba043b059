namespace Bifro.Bench.Scenarios;

/// <summary>Knobs shared by every scenario of a run; both brokers get the same ones.</summary>
internal sealed record RunParameters
{
    /// <summary>Multiplies each scenario's phase A message count (1 by default).</summary>
    public double Scale { get; init; } = 1;

    /// <summary>Overrides the phase A count per publisher for every scenario (unset by default).</summary>
    public long? MessagesPerPublisher { get; init; }

    /// <summary>Phase B target, in deliveries per second summed over subscribers (10,000 by default).</summary>
    public double PacedRate { get; init; } = 10_000;

    /// <summary>Phase B length (5 s by default).</summary>
    public double PacedSeconds { get; init; } = 5;

    /// <summary>
    /// Pause between the end of phase A and the start of phase B (2 s by default). The max-rate burst leaves
    /// work behind (a background GC still running, queues and socket buffers shrinking); without the pause
    /// that work lands in the first paced second and B's p99 measures it instead of moderate load.
    /// </summary>
    public double SettleSeconds { get; init; } = 2;

    /// <summary>
    /// Warm-up messages per publisher as a fraction of phase A (0.5 by default); not reported. Both brokers
    /// get it; a JIT-compiled broker needs it to reach its optimized code (tiered compilation), which is
    /// what a broker that has been up for a while runs.
    /// </summary>
    public double WarmupFraction { get; init; } = 0.5;

    /// <summary>How long deliveries may stop before a phase counts what it got (3 s by default).</summary>
    public TimeSpan QuietTimeout { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>How long publishing may make no progress before the scenario fails (10 s by default).</summary>
    public TimeSpan StallTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Upper bound for one phase, whatever happens (180 s by default).</summary>
    public TimeSpan PhaseTimeout { get; init; } = TimeSpan.FromSeconds(180);

    public int PayloadSize { get; init; } = 64;

    /// <summary>Unacknowledged QoS 1 publishes per publisher (100 by default).</summary>
    public int Window { get; init; } = 100;

    public int IdleConnections { get; init; } = 10_000;

    public double IdleSeconds { get; init; } = 5;

    /// <summary>Connections being opened at once in idle-memory (64 by default, below the listen backlogs).</summary>
    public int ConnectConcurrency { get; init; } = 64;

    public long PhaseACount(ThroughputSpec spec) => Math.Max(1, MessagesPerPublisher ?? (long)(spec.MessagesPerPublisher * Scale));

    public long WarmupCount(ThroughputSpec spec) => (long)(PhaseACount(spec) * WarmupFraction);

    /// <summary>Phase B rate of one publisher: the delivery target split over publishers and fan-out.</summary>
    public double PacedRatePerPublisher(ThroughputSpec spec) => PacedRate / spec.Fanout / spec.Publishers;

    public long PacedCount(ThroughputSpec spec) => Math.Max(1, (long)(PacedRatePerPublisher(spec) * PacedSeconds));
}
