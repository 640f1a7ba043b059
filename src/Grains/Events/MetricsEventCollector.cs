using System.Diagnostics.Metrics;

namespace Bifro.Grains.Events;

/// <summary>
/// The metrics collector ("metrics"): OpenTelemetry-style counters on Meter "Bifro.Events": "bifro.events"
/// per event type (tag "type"), and for drops "bifro.events.dropped.messages" (tags "qos", "reason"),
/// "bifro.events.bans". An OpenTelemetry MeterProvider that adds the meter exports them.
/// </summary>
internal sealed class MetricsEventCollector : IEventCollector
{
    public const string Name = "metrics";

    private readonly Counter<long> _events;
    private readonly Counter<long> _droppedMessages;
    private readonly Counter<long> _bans;

    public MetricsEventCollector(EventMeter meter)
    {
        _events = meter.Meter.CreateCounter<long>("bifro.events", "{event}", "Events, by type.");
        _droppedMessages = meter.Meter.CreateCounter<long>("bifro.events.dropped.messages", "{message}", "Messages dropped on the way to clients, by QoS and reason.");
        _bans = meter.Meter.CreateCounter<long>("bifro.events.bans", "{ban}", "Bans added, by kind and source.");
    }

    public ValueTask ReportAsync(IReadOnlyList<BifroEvent> events, CancellationToken cancellationToken)
    {
        foreach (var e in events)
        {
            _events.Add(1, new KeyValuePair<string, object?>("type", e.Type.ToString()));
            switch (e)
            {
                case MessageDroppedEvent dropped:
                    _droppedMessages.Add(
                        dropped.Count,
                        new KeyValuePair<string, object?>("qos", (int)e.Type - (int)EventType.QoS0Dropped),
                        new KeyValuePair<string, object?>("reason", dropped.Reason.ToString()));
                    break;
                case BanEvent { Type: EventType.ClientBanned } ban:
                    _bans.Add(1, new KeyValuePair<string, object?>("kind", ban.Ban.Kind.ToString()), new KeyValuePair<string, object?>("source", ban.Ban.Source));
                    break;
            }
        }

        return ValueTask.CompletedTask;
    }
}
