namespace Bifro.Runtime.Streams;

/// <summary>An <c>IAsyncObserver&lt;T&gt;</c> seen without its item type.</summary>
internal interface IStreamObserverAdapter
{
    /// <summary>Calls OnNextAsync, OnCompletedAsync or OnErrorAsync; throws what the observer throws.</summary>
    Task DeliverAsync(StreamDeliveryItem item);
}
