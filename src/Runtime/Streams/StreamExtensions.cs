using Bifro.Runtime;
using Microsoft.Extensions.DependencyInjection;

namespace Bifro.Streams;

/// <summary>Stream helpers, as Orleans' GrainStreamingExtensions and AsyncObservableExtensions.</summary>
public static class StreamExtensions
{
    public static IStreamProvider GetStreamProvider(this IGrainBase grain, string name) =>
        grain.GrainContext.ActivationServices.GetStreamProvider(name);

    public static IStreamProvider GetStreamProvider(this IServiceProvider services, string name) =>
        services.GetKeyedService<IStreamProvider>(name)
        ?? throw new KeyNotFoundException($"No stream provider named '{name}' is configured.");

    /// <summary>What the provider delivered, dropped and could not deliver, in total and per subscription.</summary>
    public static IStreamDeliveryDiagnostics GetDeliveryDiagnostics(this IStreamProvider provider) =>
        provider as IStreamDeliveryDiagnostics
        ?? throw new NotSupportedException($"Stream provider '{provider.Name}' keeps no delivery diagnostics.");

    public static IAsyncStream<T> GetStream<T>(this IStreamProvider provider, string @namespace, string key) =>
        provider.GetStream<T>(StreamId.Create(@namespace, key));

    public static IAsyncStream<T> GetStream<T>(this IStreamProvider provider, string @namespace, Guid key) =>
        provider.GetStream<T>(StreamId.Create(@namespace, key));

    public static Task<StreamSubscriptionHandle<T>> SubscribeAsync<T>(
        this IAsyncObservable<T> observable, Func<T, StreamSequenceToken?, Task> onNext, Func<Exception, Task>? onError = null, Func<Task>? onCompleted = null) =>
        observable.SubscribeAsync(new DelegateObserver<T>(onNext, onError, onCompleted));

    public static Task<StreamSubscriptionHandle<T>> ResumeAsync<T>(
        this StreamSubscriptionHandle<T> handle, Func<T, StreamSequenceToken?, Task> onNext, Func<Exception, Task>? onError = null, Func<Task>? onCompleted = null) =>
        handle.ResumeAsync(new DelegateObserver<T>(onNext, onError, onCompleted));

    private sealed class DelegateObserver<T>(Func<T, StreamSequenceToken?, Task> onNext, Func<Exception, Task>? onError, Func<Task>? onCompleted) : IAsyncObserver<T>
    {
        public Task OnNextAsync(T item, StreamSequenceToken? token = null) => onNext(item, token);

        public Task OnCompletedAsync() => onCompleted?.Invoke() ?? Task.CompletedTask;

        public Task OnErrorAsync(Exception ex) => onError?.Invoke(ex) ?? Task.CompletedTask;
    }
}
