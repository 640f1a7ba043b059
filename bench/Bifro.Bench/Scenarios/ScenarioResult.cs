namespace Bifro.Bench.Scenarios;

/// <summary>One scenario against one broker. <see cref="Error"/> set means it failed; phases that finished are kept.</summary>
internal sealed record ScenarioResult
{
    public required string Scenario { get; init; }

    /// <summary>Which round of <c>compare --repeat</c> this is, from 1; 0 when run alone (<c>scenario</c>).</summary>
    public int Round { get; set; }

    public string? Description { get; init; }

    public string? Error { get; set; }

    public PhaseResult? MaxRate { get; set; }

    /// <summary>
    /// CPU use during the settle pause between phase A and phase B; its broker seconds show how much work the
    /// burst left behind. Null when there was no pause or the broker's pid is unknown.
    /// </summary>
    public CpuUsage? Settle { get; set; }

    public PhaseResult? Paced { get; set; }

    public IdleMemoryResult? IdleMemory { get; set; }

    public double WallSeconds { get; set; }

    /// <summary>Set by the runner, which knows the broker's pid.</summary>
    public CpuUsage? Cpu { get; set; }

    /// <summary>
    /// Mosquitto only: lines of mosquitto.log from this run saying "Outgoing messages are being dropped" (it
    /// logs one each time a client starts losing messages); null for other brokers.
    /// </summary>
    public int? DropNotices { get; set; }

    /// <summary>Bifro with <c>--sleeping-consumer</c> only: events the sleeping collector got, from the node's log when it stopped.</summary>
    public long? ConsumerEventsDelivered { get; set; }

    /// <summary>Bifro with <c>--sleeping-consumer</c> only: events it missed because it was behind (dropped and counted by the node).</summary>
    public long? ConsumerEventsDropped { get; set; }

    /// <summary>Bifro with <c>--sleeping-consumer</c> only: events still in its queue when the node stopped.</summary>
    public long? ConsumerEventsQueued { get; set; }
}
