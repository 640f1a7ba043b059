namespace Bifro.Runtime.Streams;

/// <summary>This node's <see cref="IStreamNodeTarget"/> for one provider.</summary>
internal sealed class StreamNodeTarget(MemoryStreamProvider provider) : IStreamNodeTarget
{
    public Task<int> DeliverAsync(StreamNodeBatch batch) => Task.FromResult(provider.DeliverFromNode(batch));

    public Task OnConsumersChangedAsync(StreamConsumerNodes consumers)
    {
        provider.ApplyConsumers(consumers);
        return Task.CompletedTask;
    }
}
