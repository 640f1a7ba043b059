using System.Collections.Concurrent;
using Bifro.Grains;
using Bifro.MqttEdge.Configuration;
using Bifro.Runtime;
using Bifro.Runtime.Messaging;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Bifro.MqttEdge.Delivery;

/// <summary>
/// The publish path's hop to other nodes: deliveries for a node gather in its queue and go as one batch
/// call to that node's <see cref="IEdgeDeliveryTarget"/>. One batch is in flight per node; what arrives
/// meanwhile forms the next, so batches grow under load and a lone message waits for nothing.
/// Back-pressure crosses the hop: the node answers a batch only once its congested subscribers have
/// room, so the queue here grows, and past its high-water mark publishers wait as they would for a
/// local subscriber.
/// </summary>
internal sealed partial class RemoteDelivery
{
    private readonly IGrainFactory _grainFactory;
    private readonly DeliveryCounters _counters;
    private readonly int _maxQueued;
    private readonly int _highWaterMark;
    private readonly ILogger<RemoteDelivery> _logger;
    private readonly ConcurrentDictionary<string, NodeQueue> _nodes = new(StringComparer.Ordinal);

    public RemoteDelivery(IGrainFactory grainFactory, DeliveryCounters counters, IOptions<MqttOptions> options, ILogger<RemoteDelivery> logger)
    {
        _grainFactory = grainFactory;
        _counters = counters;
        _maxQueued = options.Value.MaxQueuedRemoteDeliveries;
        _highWaterMark = options.Value.RemoteHighWaterMark;
        _logger = logger;
    }

    /// <summary>
    /// Queues a delivery. For QoS 1 and 2 it returns a task that completes when the node has it (the
    /// publisher's acknowledgement waits for it); QoS 0 returns null, and is dropped and counted when the
    /// node's queue is full (a node that cannot keep up must not grow this one without bound).
    /// <paramref name="congested"/> is the node's queue when it is past its high-water mark.
    /// </summary>
    public Task? Enqueue(string node, MqttMessage message, string sessionKey, long epoch, byte qos, bool retain, ReadOnlySpan<uint> subscriptionIds, out IBackpressureSource? congested)
    {
        var queue = _nodes.GetOrAdd(node, static (n, self) => new NodeQueue(self, n), this);
        return queue.Enqueue(message, new EdgeDelivery(0, sessionKey, epoch, qos, retain, subscriptionIds.IsEmpty ? null : subscriptionIds.ToArray()), out congested);
    }

    /// <summary>Deliveries waiting for, or in flight to, other nodes (a gauge; read without locks, so approximate).</summary>
    public int QueuedDeliveries
    {
        get
        {
            var total = 0;
            foreach (var queue in _nodes.Values)
            {
                total += queue.PendingApproximate;
            }

            return total;
        }
    }

    private IEdgeDeliveryTarget Target(string node) =>
        _grainFactory.GetGrain<IEdgeDeliveryTarget>(ObserverRegistry.WellKnownId(node, EdgeDeliveryNames.Target));

    [LoggerMessage(1, LogLevel.Warning, "A batch of {Count} deliveries to node {Node} failed")]
    private partial void LogBatchFailed(Exception exception, int count, string node);

    /// <summary>The deliveries waiting for one node: the batch being gathered, and the one in flight.</summary>
    private sealed class NodeQueue(RemoteDelivery owner, string node) : IBackpressureSource
    {
        private EdgeDeliveryBatch _batch = new();
        private Dictionary<MqttMessage, int> _indexes = new(ReferenceEqualityComparer.Instance);
        private TaskCompletionSource? _done;
        private TaskCompletionSource? _room;
        private int _inFlight;
        private bool _sending;
        private bool _waived;

        public string? Name => "node " + node;

        private int Pending => _batch.Deliveries.Count + _inFlight;

        public int PendingApproximate => Volatile.Read(ref _batch).Deliveries.Count + Volatile.Read(ref _inFlight);

        public Task? Enqueue(MqttMessage message, EdgeDelivery delivery, out IBackpressureSource? congested)
        {
            bool start;
            Task? completion = null;
            congested = null;
            lock (this)
            {
                if (delivery.QoS == 0 && Pending >= owner._maxQueued)
                {
                    owner._counters.OnQueueFull();
                    return null;
                }

                if (!_indexes.TryGetValue(message, out var index))
                {
                    index = _batch.Messages.Count;
                    _batch.Messages.Add(message);
                    _indexes[message] = index;
                }

                _batch.Deliveries.Add(delivery with { Message = index });
                if (delivery.QoS > 0)
                {
                    _done ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                    completion = _done.Task;
                }

                if (!_waived && owner._highWaterMark > 0 && Pending >= owner._highWaterMark)
                {
                    congested = this;
                }

                start = !_sending;
                _sending = true;
            }

            if (start)
            {
                _ = SendLoopAsync();
            }

            return completion;
        }

        public Task WhenRoomAsync()
        {
            lock (this)
            {
                return Pending <= owner._highWaterMark / 2
                    ? Task.CompletedTask
                    : (_room ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task;
            }
        }

        public void WaiveBackpressure()
        {
            lock (this)
            {
                _waived = true;
            }
        }

        private async Task SendLoopAsync()
        {
            while (true)
            {
                EdgeDeliveryBatch batch;
                TaskCompletionSource? done;
                lock (this)
                {
                    _inFlight = 0;
                    ReleaseRoomLocked();
                    if (_batch.Deliveries.Count == 0)
                    {
                        _sending = false;
                        return;
                    }

                    batch = _batch;
                    done = _done;
                    _inFlight = batch.Deliveries.Count;
                    _batch = new EdgeDeliveryBatch();
                    _indexes = new Dictionary<MqttMessage, int>(ReferenceEqualityComparer.Instance);
                    _done = null;
                }

                try
                {
                    await owner.Target(node).DeliverAsync(batch).ConfigureAwait(false);
                    done?.TrySetResult();
                }
                catch (Exception exception)
                {
                    // Every delivery here is for a transient session's connection on that node; a node that
                    // cannot be reached has lost them (or soon will), and they cannot be delivered elsewhere.
                    // Failing the publisher would only make it publish again to everyone else.
                    owner.LogBatchFailed(exception, batch.Deliveries.Count, node);
                    owner._counters.OnNoConnection(batch.Deliveries.Count);
                    done?.TrySetResult();
                }
            }
        }

        private void ReleaseRoomLocked()
        {
            if (Pending > owner._highWaterMark / 2)
            {
                return;
            }

            _waived = false;
            if (_room is { } room)
            {
                _room = null;
                room.TrySetResult();
            }
        }
    }
}

/// <summary>Names of the edge's well-known per-node targets.</summary>
internal static class EdgeDeliveryNames
{
    public const string Target = "edge";
}
