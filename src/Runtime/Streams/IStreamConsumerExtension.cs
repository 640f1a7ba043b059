namespace Bifro.Runtime.Streams;

/// <summary>
/// How stream events reach a consumer grain: as an ordinary grain call to that grain, sent through the
/// grain call runtime and message center like any other, so that a multi-silo runtime can route it to
/// whichever silo hosts the grain, and the call activates the grain if needed. Grain classes do not
/// implement this interface: the activation routes calls to it to its <see cref="StreamConsumerExtension"/>,
/// which holds the observers that grain code attached (observers are objects inside the activation,
/// not addressable). The call is a normal, non-interleaving request, so delivery runs as a turn of the
/// grain under its turn rules. Incoming grain call filters do not see it (outgoing ones, on the sending
/// side, do).
/// </summary>
internal interface IStreamConsumerExtension : IAddressable
{
    /// <summary>Delivers a batch of one subscription's events, in order; returns how many were not processed.</summary>
    Task<int> DeliverAsync(string providerName, StreamId streamId, Guid handleId, bool isImplicit, StreamDeliveryItem[] items);
}
