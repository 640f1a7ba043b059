namespace Bifro.Grains;

/// <summary>
/// Where the edge and the grains report events. Reporting never blocks and never throws: the event goes to
/// a bounded queue on this node, drained into the event streams ("events"/{tenant}, or the cluster stream);
/// when the queue is full the event is dropped and counted.
/// </summary>
public interface IEventReporter
{
    /// <summary>False when events are off (no event stream on this node): callers may skip building events.</summary>
    bool IsEnabled { get; }

    /// <summary>Queues <paramref name="e"/>, stamping its time and node when unset; false when it was dropped.</summary>
    bool Report(BifroEvent e);
}

/// <summary>Reports nothing (events off).</summary>
public sealed class NullEventReporter : IEventReporter
{
    public static readonly NullEventReporter Instance = new();

    public bool IsEnabled => false;

    public bool Report(BifroEvent e) => false;
}
