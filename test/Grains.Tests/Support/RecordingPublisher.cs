using System.Collections.Concurrent;

namespace Bifro.Grains.Tests.Support;

/// <summary>Stands in for the edge's publish path: records what grains publish (wills), by tenant and topic.</summary>
internal sealed class RecordingPublisher : IMessagePublisher
{
    public ConcurrentQueue<(string Tenant, string Topic)> Published { get; } = new();

    public Task PublishAsync(string tenant, MqttMessage message, CancellationToken cancellationToken = default)
    {
        Published.Enqueue((tenant, message.Topic));
        return Task.CompletedTask;
    }
}
