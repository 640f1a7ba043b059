namespace Bifro.Bench.Scenarios;

/// <summary>One scenario against one broker. <see cref="Error"/> set means it failed; phases that finished are kept.</summary>
internal sealed record ScenarioResult
{
    public required string Scenario { get; init; }

    public string? Description { get; init; }

    public string? Error { get; set; }

    public PhaseResult? MaxRate { get; set; }

    public PhaseResult? Paced { get; set; }

    public IdleMemoryResult? IdleMemory { get; set; }

    public double WallSeconds { get; set; }

    /// <summary>Set by the runner, which knows the broker's pid.</summary>
    public CpuUsage? Cpu { get; set; }
}
