using Bifro.Runtime;

namespace Bifro.Streams;

/// <summary>A named stream provider (Orleans' IStreamProvider).</summary>
public interface IStreamProvider
{
    string Name { get; }

    bool IsRewindable { get; }

    IAsyncStream<T> GetStream<T>(StreamId streamId);
}

/// <summary>A position in a stream.</summary>
[GenerateSerializer]
public sealed record EventSequenceToken([property: Id(0)] long SequenceNumber, [property: Id(1)] int EventIndex = 0) : StreamSequenceToken;

/// <summary>Orders events of a stream (Orleans' StreamSequenceToken).</summary>
[GenerateSerializer]
public abstract record StreamSequenceToken : IComparable<StreamSequenceToken>
{
    public abstract long SequenceNumber { get; init; }

    public abstract int EventIndex { get; init; }

    public int CompareTo(StreamSequenceToken? other)
    {
        if (other is null)
        {
            return 1;
        }

        var c = SequenceNumber.CompareTo(other.SequenceNumber);
        return c != 0 ? c : EventIndex.CompareTo(other.EventIndex);
    }

    public bool Newer(StreamSequenceToken other) => CompareTo(other) > 0;

    public bool Older(StreamSequenceToken other) => CompareTo(other) < 0;
}

/// <summary>Consumes a stream's items.</summary>
public interface IAsyncObserver<in T>
{
    Task OnNextAsync(T item, StreamSequenceToken? token = null);

    Task OnCompletedAsync() => Task.CompletedTask;

    Task OnErrorAsync(Exception ex);
}

/// <summary>Something that can be subscribed to.</summary>
public interface IAsyncObservable<T>
{
    Task<StreamSubscriptionHandle<T>> SubscribeAsync(IAsyncObserver<T> observer);

    Task<StreamSubscriptionHandle<T>> SubscribeAsync(IAsyncObserver<T> observer, StreamSequenceToken? token, string? filterData = null);
}

/// <summary>A stream: produce with OnNextAsync, consume with SubscribeAsync (Orleans' IAsyncStream).</summary>
public interface IAsyncStream<T> : IAsyncObservable<T>, IEquatable<IAsyncStream<T>>
{
    StreamId StreamId { get; }

    string ProviderName { get; }

    bool IsRewindable { get; }

    /// <summary>Hands the item to the provider; completes when the provider accepted it, not when consumers ran.</summary>
    Task OnNextAsync(T item, StreamSequenceToken? token = null);

    Task OnNextBatchAsync(IEnumerable<T> batch, StreamSequenceToken? token = null);

    Task OnCompletedAsync();

    Task OnErrorAsync(Exception ex);

    /// <summary>This consumer's subscriptions to the stream (a grain resumes them after reactivation).</summary>
    Task<IList<StreamSubscriptionHandle<T>>> GetAllSubscriptionHandles();
}

/// <summary>One subscription (Orleans' StreamSubscriptionHandle).</summary>
public abstract class StreamSubscriptionHandle<T> : IEquatable<StreamSubscriptionHandle<T>>
{
    public abstract StreamId StreamId { get; }

    public abstract string ProviderName { get; }

    public abstract Guid HandleId { get; }

    public abstract Task UnsubscribeAsync();

    /// <summary>Attaches an observer to an existing subscription (after a grain reactivates).</summary>
    public abstract Task<StreamSubscriptionHandle<T>> ResumeAsync(IAsyncObserver<T> observer, StreamSequenceToken? token = null);

    public bool Equals(StreamSubscriptionHandle<T>? other) => other is not null && HandleId == other.HandleId && StreamId == other.StreamId;

    public override bool Equals(object? obj) => Equals(obj as StreamSubscriptionHandle<T>);

    public override int GetHashCode() => HashCode.Combine(HandleId, StreamId);
}

/// <summary>Implemented by grains with [ImplicitStreamSubscription]: told of each implicit subscription so they can attach an observer.</summary>
public interface IStreamSubscriptionObserver
{
    Task OnSubscribed(IStreamSubscriptionHandleFactory handleFactory);
}

/// <summary>Creates the handle of an implicit subscription for the consumer to resume.</summary>
public interface IStreamSubscriptionHandleFactory
{
    StreamId StreamId { get; }

    string ProviderName { get; }

    StreamSubscriptionHandle<T> Create<T>();
}
