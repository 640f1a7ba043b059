using System.Collections.Concurrent;
using Bifro.Configuration;
using Bifro.Runtime.Activation;
using Bifro.Runtime.Membership;
using Bifro.Runtime.Messaging;
using Bifro.Streams;
using Microsoft.Extensions.Logging;

namespace Bifro.Runtime.Streams;

/// <summary>
/// Streams in the memory of this silo (AddMemoryStreams). Not durable, not rewindable.
/// </summary>
/// <remarks>
/// <para>The provider keeps the pub-sub table: each stream's subscriptions, explicit and implicit. A
/// subscription belongs to a consumer grain (by grain id, so it outlives the grain's activations) or to
/// an observer object outside any grain (a silo service, an edge). Records live here, in memory, rather
/// than in the "PubSubStore" grain storage: the events themselves live only in memory, so a restart
/// loses both together and a durable table would only point at events that are gone.</para>
/// <para>Producing fans an event out to one bounded buffer per subscription (<see cref="StreamSubscription"/>)
/// and returns. Each buffer has its own delivery loop: to a grain it is a grain call to
/// <see cref="IStreamConsumerExtension"/> through the normal message path, which (re)activates the grain
/// and runs as a turn of it; to an outside observer it is a direct call on the thread pool.</para>
/// <para>In a cluster (MemoryStreamProvider.Cluster.cs) each node keeps the subscriptions made on it. A
/// stream's rendezvous grain knows which nodes have explicit subscribers; a producing node sends each
/// event once per consuming node, in batches, through a bounded queue per node, and that node's provider
/// fans it out to its own subscriptions. Implicit subscriptions are served by every producing node
/// directly, as grain calls that reach the consumer grain wherever it lives. Order holds per producing
/// node: events of one stream produced on one node reach each consumer in the order produced.</para>
/// </remarks>
internal sealed partial class MemoryStreamProvider : IStreamProvider, IStreamDeliveryDiagnostics
{
    private readonly ConcurrentDictionary<StreamId, StreamState> _streams = new();
    private readonly ConcurrentDictionary<Guid, StreamSubscription> _subscriptions = new();
    private readonly ConcurrentDictionary<string, GrainType[]> _implicitConsumers = new(StringComparer.Ordinal);
    private readonly ILogger _logger;
    private readonly IMembershipViewProvider _membership;
    private readonly ObserverRegistry _observers;
    private readonly IServiceProvider _services;
    private readonly TimeProvider _time;
    private readonly object _pumpLock = new();
    private long _delivered;
    private long _dropped;
    private long _undelivered;
    private int _activePumps;
    private TaskCompletionSource? _drained;
    private volatile bool _accepting = true;
    private volatile bool _stopped;

    public MemoryStreamProvider(
        string name,
        MemoryStreamOptions options,
        IGrainFactory grainFactory,
        ILocalSiloDetails local,
        IMembershipViewProvider membership,
        ObserverRegistry observers,
        IServiceProvider services,
        ILogger<MemoryStreamProvider> logger)
    {
        Name = name;
        Options = options;
        GrainFactory = grainFactory;
        NodeIdentity = local.NodeIdentity;
        _membership = membership;
        _observers = observers;
        _services = services;
        _time = services.GetService(typeof(TimeProvider)) as TimeProvider ?? TimeProvider.System;
        _logger = logger;

        // A node alone (development, tests) has no other node to reach: no rendezvous, no node queues.
        IsClustered = membership is not LocalMembershipView;
    }

    public string Name { get; }

    public bool IsRewindable => false;

    public MemoryStreamOptions Options { get; }

    public IGrainFactory GrainFactory { get; }

    public bool IsStopped => _stopped;

    public StreamDeliveryCounters Totals =>
        new(Interlocked.Read(ref _delivered), Interlocked.Read(ref _dropped), Interlocked.Read(ref _undelivered));

    public IAsyncStream<T> GetStream<T>(StreamId streamId) => new MemoryAsyncStream<T>(this, streamId);

    public IReadOnlyList<StreamSubscriptionCounters> GetSubscriptions()
    {
        var result = new List<StreamSubscriptionCounters>(_subscriptions.Count);
        foreach (var subscription in _subscriptions.Values)
        {
            result.Add(subscription.GetCounters());
        }

        return result;
    }

    public StreamSubscriptionCounters? GetSubscription(Guid handleId) =>
        _subscriptions.TryGetValue(handleId, out var subscription) ? subscription.GetCounters() : null;

    /// <summary>Hands an event to every subscription's buffer; returns without waiting for any consumer.</summary>
    public void Produce(StreamId streamId, StreamEventKind kind, object? item, Exception? error)
    {
        if (_accepting)
        {
            GetState(streamId).Publish(kind, item, error);
        }
    }

    /// <summary>
    /// Subscribes the caller: inside a grain's turn, that grain (its observer lives in the activation and
    /// the subscription outlives it); elsewhere, the observer object itself. In a cluster, a node's first
    /// subscription to a stream registers the node with the stream's rendezvous before this completes,
    /// so that events produced anywhere after it completes reach the new subscriber.
    /// </summary>
    public async Task<StreamSubscriptionHandle<T>> SubscribeAsync<T>(StreamId streamId, IAsyncObserver<T> observer)
    {
        var adapter = new StreamObserverAdapter<T>(observer);
        StreamSubscription subscription;
        if (ActivationContext.Current is { } activation)
        {
            subscription = StreamSubscription.ForGrain(this, streamId, activation.GrainId, isImplicit: false);

            // Attached before the subscription is visible to producers, so the first event finds it.
            activation.StreamConsumer.SetObserver(subscription.HandleId, adapter);
        }
        else
        {
            subscription = StreamSubscription.ForLocal(this, streamId, adapter);
        }

        _subscriptions[subscription.HandleId] = subscription;
        var state = GetState(streamId);
        if (state.Add(subscription, out var revision) && IsClustered)
        {
            await SetConsumerAsync(state, revision, consuming: true).ConfigureAwait(true);
        }

        return new MemoryStreamSubscriptionHandle<T>(this, streamId, subscription.HandleId);
    }

    /// <summary>The caller's explicit subscriptions to the stream: the current grain's, or, outside grains, those of outside observers.</summary>
    public IList<StreamSubscriptionHandle<T>> GetSubscriptionHandles<T>(StreamId streamId)
    {
        var consumer = ActivationContext.Current?.GrainId;
        var handles = new List<StreamSubscriptionHandle<T>>();
        foreach (var subscription in GetState(streamId).Subscriptions)
        {
            if (!subscription.IsImplicit && subscription.Consumer == consumer)
            {
                handles.Add(new MemoryStreamSubscriptionHandle<T>(this, streamId, subscription.HandleId));
            }
        }

        return handles;
    }

    /// <summary>
    /// Attaches a new observer to a subscription; a grain's subscription only from a turn of that grain.
    /// An implicit subscription is attached to the current activation whether or not this node produces
    /// to the stream: its producers may all be elsewhere.
    /// </summary>
    public void Resume<T>(Guid handleId, IAsyncObserver<T> observer, bool isImplicit)
    {
        var adapter = new StreamObserverAdapter<T>(observer);
        if (isImplicit)
        {
            var current = ActivationContext.Current
                ?? throw new InvalidOperationException($"Implicit stream subscription {handleId} belongs to a grain: only that grain can resume it, from its own code.");
            current.StreamConsumer.SetObserver(handleId, adapter);
            return;
        }

        if (!_subscriptions.TryGetValue(handleId, out var subscription))
        {
            throw new InvalidOperationException($"Stream subscription {handleId} of provider '{Name}' does not exist: it was unsubscribed.");
        }

        if (subscription.Consumer is { } consumer)
        {
            var activation = ActivationContext.Current;
            if (activation is null || activation.GrainId != consumer)
            {
                throw new InvalidOperationException(
                    $"Stream subscription {handleId} belongs to grain {consumer}: only that grain can resume it, from its own code.");
            }

            activation.StreamConsumer.SetObserver(handleId, adapter);
        }
        else
        {
            subscription.SetLocalObserver(adapter);
        }
    }

    public async Task UnsubscribeAsync(Guid handleId, bool isImplicit)
    {
        if (isImplicit)
        {
            throw new InvalidOperationException($"Subscription {handleId} comes from [ImplicitStreamSubscription]: that cannot be undone.");
        }

        if (!_subscriptions.TryGetValue(handleId, out var subscription))
        {
            return;
        }

        if (subscription.IsImplicit)
        {
            throw new InvalidOperationException($"{subscription.Consumer} is subscribed to {subscription.StreamId} by [ImplicitStreamSubscription]: that cannot be undone.");
        }

        if (!_subscriptions.TryRemove(handleId, out _))
        {
            return;
        }

        subscription.Remove();
        var state = GetState(subscription.StreamId);
        var last = state.Remove(subscription, out var revision);
        if (subscription.Consumer is { } consumer && ActivationContext.Current is { } activation && activation.GrainId == consumer)
        {
            activation.StreamConsumer.RemoveObserver(handleId);
        }

        if (last && IsClustered)
        {
            await SetConsumerAsync(state, revision, consuming: false).ConfigureAwait(true);
        }
    }

    /// <summary>Stops taking events, gives buffered ones <see cref="MemoryStreamOptions.DrainTimeout"/> to reach their consumers, then stops delivering.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        StopFollowingMembership();
        TaskCompletionSource drained;
        lock (_pumpLock)
        {
            _accepting = false;
            if (_activePumps == 0)
            {
                _stopped = true;
                return;
            }

            drained = _drained = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        try
        {
            await drained.Task.WaitAsync(Options.DrainTimeout, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            LogDrainTimedOut(Name, Options.DrainTimeout);
        }
        catch (OperationCanceledException)
        {
            // The host gave up waiting: stop now.
        }

        _stopped = true;
    }

    internal void CountDropped() => Interlocked.Increment(ref _dropped);

    internal void CountDelivered(int delivered, int undelivered)
    {
        Interlocked.Add(ref _delivered, delivered);
        Interlocked.Add(ref _undelivered, undelivered);
    }

    internal void PumpStarted()
    {
        lock (_pumpLock)
        {
            _activePumps++;
        }
    }

    internal void PumpStopped()
    {
        lock (_pumpLock)
        {
            if (--_activePumps == 0)
            {
                _drained?.TrySetResult();
            }
        }
    }

    private StreamState GetState(StreamId streamId)
    {
        if (_streams.TryGetValue(streamId, out var state))
        {
            return state;
        }

        // Implicit subscriptions exist from a stream's first use, before any event can be published.
        var consumers = GetImplicitConsumers(streamId.Namespace);
        var implicitSubscriptions = new StreamSubscription[consumers.Length];
        for (var i = 0; i < consumers.Length; i++)
        {
            implicitSubscriptions[i] = StreamSubscription.ForGrain(this, streamId, new GrainId(consumers[i], streamId.Key), isImplicit: true);
        }

        var created = new StreamState(this, streamId, implicitSubscriptions);
        if (!_streams.TryAdd(streamId, created))
        {
            return _streams[streamId];
        }

        foreach (var subscription in implicitSubscriptions)
        {
            _subscriptions[subscription.HandleId] = subscription;
        }

        return created;
    }

    /// <summary>The grain types with [ImplicitStreamSubscription] for <paramref name="streamNamespace"/>.</summary>
    private GrainType[] GetImplicitConsumers(string? streamNamespace)
    {
        if (streamNamespace is null)
        {
            return [];
        }

        return _implicitConsumers.GetOrAdd(streamNamespace, static ns =>
        {
            ApplicationParts.EnsureLoaded();
            var types = new List<GrainType>();
            foreach (var grainClass in GrainClassRegistry.All)
            {
                if (Array.IndexOf(grainClass.ImplicitStreamNamespaces, ns) >= 0)
                {
                    types.Add(grainClass.GrainType);
                }
            }

            return [.. types];
        });
    }
}
