namespace Bifro.Streams;

/// <summary>
/// What a stream provider delivered, dropped and could not deliver, in total and per subscription.
/// Get it with <see cref="StreamExtensions.GetDeliveryDiagnostics"/>.
/// </summary>
public interface IStreamDeliveryDiagnostics
{
    /// <summary>Counts over every subscription the provider has had, removed ones included.</summary>
    StreamDeliveryCounters Totals { get; }

    /// <summary>The current subscriptions, explicit and implicit, with their counts.</summary>
    IReadOnlyList<StreamSubscriptionCounters> GetSubscriptions();

    /// <summary>One subscription's counts; null once it is unsubscribed.</summary>
    StreamSubscriptionCounters? GetSubscription(Guid handleId);

    /// <summary>In a cluster: the queues of events this node produced for other nodes' subscribers, one per node.</summary>
    IReadOnlyList<StreamNodeCounters> GetNodeQueues();
}
