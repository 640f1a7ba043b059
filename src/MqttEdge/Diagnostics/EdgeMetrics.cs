using System.Diagnostics;
using System.Diagnostics.Metrics;
using Bifro.Grains;
using Bifro.MqttEdge.Configuration;
using Bifro.MqttEdge.Connection;
using Bifro.MqttEdge.Delivery;
using Microsoft.Extensions.Options;

namespace Bifro.MqttEdge.Diagnostics;

/// <summary>
/// The edge's metrics (meter "Bifro.Mqtt"). Message and byte counts live in each connection
/// (<see cref="ConnectionTraffic"/>) and drop counts in <see cref="DeliveryCounters"/>; they are exposed as
/// observable instruments that a collector reads when it asks, summing over connections by tenant. So a
/// PUBLISH costs a few plain additions, not a Counter.Add with tag lookups per message and direction.
/// Rare events (CONNECT outcomes) use ordinary counters; delivery latency is a histogram fed with one
/// delivery in <see cref="LatencySampleInterval"/> per connection.
/// </summary>
internal sealed class EdgeMetrics : IDisposable
{
    public const string MeterName = "Bifro.Mqtt";

    /// <summary>One delivery in this many (per connection) goes into the latency histogram.</summary>
    public const int LatencySampleInterval = 16;

    /// <summary>Tenants beyond this many are summed as tenant "_other", so a broker with many tenants keeps a bounded series count.</summary>
    public const int MaxTenantSeries = 500;

    private const string OtherTenants = "_other";
    private static readonly string[] s_qos = ["0", "1", "2"];

    private readonly Meter _meter;
    private readonly ConnectionRegistry _connections;
    private readonly Counter<long> _authentications;
    private readonly Lock _gate = new();

    // Totals of closed connections per tenant, so that counters never go down when a connection goes away.
    private readonly Dictionary<string, long[]> _closed = new(StringComparer.Ordinal);
    private Snapshot? _snapshot;
    private long _snapshotTimestamp;

    public EdgeMetrics(IMeterFactory meters, ConnectionRegistry connections, DeliveryCounters drops, RemoteDelivery remote, IOptions<EdgeTelemetryOptions> options)
    {
        _connections = connections;
        PublishTraceInterval = options.Value.PublishTraceInterval;
        _meter = meters.Create(MeterName);
        _authentications = _meter.CreateCounter<long>("bifro.mqtt.authentications", "{attempt}", "CONNECT authentications by outcome.");
        DeliveryDuration = _meter.CreateHistogram<double>(
            "bifro.mqtt.delivery.duration", "s",
            $"From a message's PUBLISH to its PUBLISH being written to a subscriber (live deliveries, not inbox or retained ones); one delivery in {LatencySampleInterval} per connection.");

        _meter.CreateObservableUpDownCounter("bifro.mqtt.connections", () => Current().Connections, "{connection}", "Connected MQTT sessions, by tenant.");
        _meter.CreateObservableCounter("bifro.mqtt.connections.accepted", () => connections.Accepted, "{connection}", "Network connections accepted since start.");
        _meter.CreateObservableCounter("bifro.mqtt.messages.received", () => Current().Traffic(ConnectionTraffic.Received + ConnectionTraffic.Messages), "{message}", "PUBLISH packets received from clients, by tenant and QoS.");
        _meter.CreateObservableCounter("bifro.mqtt.messages.received.bytes", () => Current().Traffic(ConnectionTraffic.Received + ConnectionTraffic.Bytes), "By", "Payload bytes received from clients, by tenant and QoS.");
        _meter.CreateObservableCounter("bifro.mqtt.messages.sent", () => Current().Traffic(ConnectionTraffic.Sent + ConnectionTraffic.Messages), "{message}", "PUBLISH packets sent to clients, by tenant and QoS.");
        _meter.CreateObservableCounter("bifro.mqtt.messages.sent.bytes", () => Current().Traffic(ConnectionTraffic.Sent + ConnectionTraffic.Bytes), "By", "Payload bytes sent to clients, by tenant and QoS.");
        _meter.CreateObservableCounter(
            "bifro.mqtt.messages.dropped",
            () => new Measurement<long>[]
            {
                new(drops.DroppedNoConnection, new KeyValuePair<string, object?>("reason", "no_connection")),
                new(drops.DroppedQueueFull, new KeyValuePair<string, object?>("reason", "queue_full")),
                new(drops.DroppedTooLarge, new KeyValuePair<string, object?>("reason", "too_large")),
                new(drops.DroppedExpired, new KeyValuePair<string, object?>("reason", "expired")),
                new(drops.InboxOverflow, new KeyValuePair<string, object?>("reason", "inbox_overflow")),
            },
            "{message}",
            "Messages not delivered, by reason.");
        _meter.CreateObservableUpDownCounter(
            "bifro.mqtt.queue.depth",
            () =>
            {
                var snapshot = Current();
                return new Measurement<long>[]
                {
                    new(snapshot.QueuedPublishes, new KeyValuePair<string, object?>("queue", "outbound")),
                    new(snapshot.InFlight, new KeyValuePair<string, object?>("queue", "inflight")),
                    new(remote.QueuedDeliveries, new KeyValuePair<string, object?>("queue", "remote")),
                };
            },
            "{message}",
            "Messages waiting: queued for connected clients (outbound), sent and not yet acknowledged (inflight), on their way to other nodes (remote).");
    }

    /// <summary>The histogram of delivery latency; connections record into it when it is enabled.</summary>
    public Histogram<double> DeliveryDuration { get; }

    /// <summary>Trace one PUBLISH in this many per connection (when tracing is on); 0 traces none.</summary>
    public int PublishTraceInterval { get; }

    /// <summary>A CONNECT's authentication ended with <paramref name="result"/>.</summary>
    public void OnAuthenticated(AuthResult result)
    {
        var outcome = result.Kind switch
        {
            AuthResultKind.Ok => "granted",
            AuthResultKind.Continue => "continue",
            AuthResultKind.Banned => "banned",
            _ => result.RejectCode switch
            {
                AuthRejectCode.BadUserNameOrPassword => "bad_credentials",
                AuthRejectCode.NotAuthorized => "not_authorized",
                AuthRejectCode.BadAuthenticationMethod => "bad_method",
                _ => "error",
            },
        };
        _authentications.Add(1, new KeyValuePair<string, object?>("outcome", outcome));
    }

    /// <summary>A connection closed: its counts join the closed totals of its tenant, once.</summary>
    public void OnClosed(MqttConnection connection)
    {
        if (connection.Traffic is not { } traffic)
        {
            return;
        }

        lock (_gate)
        {
            if (traffic.Folded)
            {
                return;
            }

            traffic.Folded = true;
            var totals = TotalsFor(_closed, connection.Tenant);
            for (var i = 0; i < totals.Length; i++)
            {
                totals[i] += traffic.Values[i];
            }
        }
    }

    public void Dispose() => _meter.Dispose();

    /// <summary>
    /// The sums over connections, made at most once a second: every observable instrument of one collection
    /// reads the same snapshot, and several collectors (Prometheus, OTLP) do not multiply the work.
    /// </summary>
    private Snapshot Current()
    {
        lock (_gate)
        {
            if (_snapshot is { } recent && Stopwatch.GetElapsedTime(_snapshotTimestamp) < TimeSpan.FromSeconds(1))
            {
                return recent;
            }

            var totals = new Dictionary<string, long[]>(_closed.Count + 4, StringComparer.Ordinal);
            foreach (var (tenant, closed) in _closed)
            {
                totals[tenant] = (long[])closed.Clone();
            }

            var connections = new Dictionary<string, long>(StringComparer.Ordinal);
            long queued = 0, inFlight = 0;
            foreach (var connection in _connections.All)
            {
                queued += connection.QueuedPublishes;
                inFlight += connection.OutboundInFlight;
                if (connection.IsConnected)
                {
                    var tenant = connections.Count < MaxTenantSeries || connections.ContainsKey(connection.Tenant) ? connection.Tenant : OtherTenants;
                    connections[tenant] = connections.GetValueOrDefault(tenant) + 1;
                }

                // Read under the gate, which OnClosed takes too: a connection is counted live or closed, never both.
                if (connection.Traffic is { Folded: false } traffic)
                {
                    var sums = TotalsFor(totals, connection.Tenant);
                    for (var i = 0; i < sums.Length; i++)
                    {
                        sums[i] += traffic.Values[i];
                    }
                }
            }

            _snapshot = new Snapshot(totals, connections, queued, inFlight);
            _snapshotTimestamp = Stopwatch.GetTimestamp();
            return _snapshot;
        }
    }

    private static long[] TotalsFor(Dictionary<string, long[]> totals, string tenant)
    {
        if (!totals.TryGetValue(tenant, out var values))
        {
            if (totals.Count >= MaxTenantSeries && totals.TryGetValue(OtherTenants, out var other))
            {
                return other;
            }

            values = new long[12];
            totals[totals.Count >= MaxTenantSeries ? OtherTenants : tenant] = values;
        }

        return values;
    }

    private sealed class Snapshot(Dictionary<string, long[]> traffic, Dictionary<string, long> connections, long queued, long inFlight)
    {
        public long QueuedPublishes { get; } = queued;

        public long InFlight { get; } = inFlight;

        public IEnumerable<Measurement<long>> Connections
        {
            get
            {
                var measurements = new List<Measurement<long>>(connections.Count);
                foreach (var (tenant, count) in connections)
                {
                    measurements.Add(new Measurement<long>(count, new KeyValuePair<string, object?>("tenant", tenant)));
                }

                return measurements;
            }
        }

        public IEnumerable<Measurement<long>> Traffic(int offset)
        {
            var measurements = new List<Measurement<long>>(traffic.Count * 3);
            foreach (var (tenant, values) in traffic)
            {
                for (var qos = 0; qos < 3; qos++)
                {
                    measurements.Add(new Measurement<long>(
                        values[offset + qos],
                        new KeyValuePair<string, object?>("tenant", tenant),
                        new KeyValuePair<string, object?>("qos", s_qos[qos])));
                }
            }

            return measurements;
        }
    }
}
