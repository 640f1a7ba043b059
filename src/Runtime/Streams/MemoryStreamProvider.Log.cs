using Microsoft.Extensions.Logging;

namespace Bifro.Runtime.Streams;

internal sealed partial class MemoryStreamProvider
{
    [LoggerMessage(1, LogLevel.Warning, "Consumer {Consumer} of stream {StreamId} is too slow: its buffer is full and its new events are dropped until it catches up")]
    internal partial void LogConsumerTooSlow(StreamId streamId, string consumer);

    [LoggerMessage(2, LogLevel.Warning, "Delivery of {Count} events of stream {StreamId} to {Consumer} failed")]
    internal partial void LogDeliveryFailed(Exception exception, int count, StreamId streamId, string consumer);

    [LoggerMessage(3, LogLevel.Warning, "The observer of subscription {HandleId} to stream {StreamId} failed on an event")]
    internal partial void LogObserverFailed(Exception exception, Guid handleId, StreamId streamId);

    [LoggerMessage(4, LogLevel.Warning,
        "{Count} events of stream {StreamId} reached {GrainId}, which has no observer for subscription {HandleId}: a grain resumes its subscriptions (handle.ResumeAsync) when it activates")]
    internal partial void LogNoObserver(int count, StreamId streamId, GrainId grainId, Guid handleId);

    [LoggerMessage(5, LogLevel.Warning, "Stream provider {Provider} stopped with events still buffered after waiting {DrainTimeout}")]
    private partial void LogDrainTimedOut(string provider, TimeSpan drainTimeout);

    [LoggerMessage(6, LogLevel.Warning, "Node {Node} does not keep up with the stream events this node sends it: new events for it are dropped until it catches up")]
    internal partial void LogNodeTooSlow(string node);

    [LoggerMessage(7, LogLevel.Warning, "A batch of {Count} stream events for node {Node} could not be delivered")]
    internal partial void LogNodeDeliveryFailed(Exception exception, int count, string node);

    [LoggerMessage(8, LogLevel.Warning, "The rendezvous of stream {StreamId} could not be reached; {Discarded} events produced meanwhile reach only this node's subscribers")]
    private partial void LogRegistrationFailed(Exception exception, StreamId streamId, int discarded);

    [LoggerMessage(9, LogLevel.Warning, "Registering this node's streams again after a membership change failed in part")]
    private partial void LogReregistrationFailed(Exception exception);
}
