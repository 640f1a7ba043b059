namespace Bifro.Bench.Scenarios;

/// <summary>CPU seconds spent during a scenario, by the broker, the load generator and everything else.</summary>
internal sealed record CpuUsage
{
    public double WallSeconds { get; init; }

    public double BrokerSeconds { get; init; }

    public double LoadGenSeconds { get; init; }

    /// <summary>Other processes and the kernel's own work: noise for the measurement.</summary>
    public double OtherSeconds { get; init; }

    /// <summary><see cref="OtherSeconds"/> as a share of all cores over the wall time.</summary>
    public double OtherPercentOfMachine { get; init; }
}
