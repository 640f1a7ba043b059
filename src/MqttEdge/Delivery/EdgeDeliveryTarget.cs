using Bifro.Grains;
using Bifro.MqttEdge.Codec;
using Bifro.MqttEdge.Configuration;
using Microsoft.Extensions.Options;

namespace Bifro.MqttEdge.Delivery;

/// <summary>
/// Takes batches other nodes' edges send here and queues each message on its connection. When a
/// connection is past its high-water mark, the answer waits until it has room (at most the
/// back-pressure timeout, then that connection is waived as a local publisher would waive it): the
/// sending node's queue then grows and its publishers slow down, as they would for a local subscriber.
/// </summary>
internal sealed class EdgeDeliveryTarget(ConnectionRegistry connections, DeliveryCounters counters, IOptions<MqttOptions> options) : IEdgeDeliveryTarget
{
    private readonly TimeSpan _backpressureTimeout = options.Value.BackpressureTimeout;

    public Task<int> DeliverAsync(EdgeDeliveryBatch batch)
    {
        var messages = new PublishMessage?[batch.Messages.Count];
        var delivered = 0;
        List<Connection.MqttConnection>? congested = null;
        try
        {
            foreach (var delivery in batch.Deliveries)
            {
                var connection = connections.Find(delivery.SessionKey, delivery.Epoch);
                if (connection is null)
                {
                    counters.OnNoConnection();
                    continue;
                }

                var source = batch.Messages[delivery.Message];
                var message = messages[delivery.Message] ??= PublishMessage.FromMqttMessage(source, (QualityOfService)source.QoS, source.Retain, source.PublishedAtUtcTicks);
                if (connection.EnqueuePublish(message, (QualityOfService)delivery.QoS, delivery.Retain, delivery.SubscriptionIds ?? []) && !(congested?.Contains(connection) ?? false))
                {
                    (congested ??= new List<Connection.MqttConnection>()).Add(connection);
                }

                delivered++;
            }
        }
        finally
        {
            foreach (var message in messages)
            {
                message?.Release();
            }
        }

        return congested is null ? Task.FromResult(delivered) : WaitForRoomAsync(congested, delivered);
    }

    private async Task<int> WaitForRoomAsync(List<Connection.MqttConnection> congested, int delivered)
    {
        var deadline = Environment.TickCount64 + (long)_backpressureTimeout.TotalMilliseconds;
        foreach (var connection in congested)
        {
            var remaining = deadline - Environment.TickCount64;
            var room = connection.WhenRoomAsync();
            if (room.IsCompleted)
            {
                continue;
            }

            try
            {
                await room.WaitAsync(TimeSpan.FromMilliseconds(Math.Max(0, remaining))).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                connection.WaiveBackpressure();
            }
        }

        return delivered;
    }
}
