using Bifro.Grains;
using Bifro.MqttEdge.Codec;

namespace Bifro.MqttEdge.Delivery;

/// <summary>Takes batches other nodes' edges send here and queues each message on its connection.</summary>
internal sealed class EdgeDeliveryTarget(ConnectionRegistry connections, DeliveryCounters counters) : IEdgeDeliveryTarget
{
    public Task<int> DeliverAsync(EdgeDeliveryBatch batch)
    {
        var messages = new PublishMessage?[batch.Messages.Count];
        var delivered = 0;
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
                var message = messages[delivery.Message] ??= PublishMessage.FromMqttMessage(source, (QualityOfService)source.QoS, source.Retain);
                connection.EnqueuePublish(message, (QualityOfService)delivery.QoS, delivery.Retain, delivery.SubscriptionIds ?? []);
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

        return Task.FromResult(delivered);
    }
}
