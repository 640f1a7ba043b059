using Bifro.Grains;
using Bifro.MqttEdge.Codec;
using Bifro.MqttEdge.Delivery.Matching;
using Bifro.Runtime;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Bifro.MqttEdge.Delivery;

/// <summary>
/// The publish path (ARCHITECTURE.md, flow 3): match on the tenant's local route replica, hand the
/// shared message to each local subscriber's connection, and give persistent subscribers a durable
/// copy through their inbox. What the publisher's acknowledgement must wait for comes back as a task;
/// when every subscriber is local and transient, there is none and nothing is awaited.
/// </summary>
internal sealed partial class PublishRouter : IMessagePublisher
{
    [ThreadStatic]
    private static MatchCollector<RouteSubscriber>? t_collector;

    private readonly RouteReplica _replica;
    private readonly ConnectionRegistry _connections;
    private readonly IGrainFactory _grainFactory;
    private readonly EdgeNode _node;
    private readonly RemoteDelivery _remote;
    private readonly ShardingOptions _sharding;
    private readonly TimeProvider _time;
    private readonly ILogger<PublishRouter> _logger;
    private readonly Action<Task> _observeFailure;
    private readonly TimeSpan _handOffRetryTime;

    public PublishRouter(
        RouteReplica replica,
        ConnectionRegistry connections,
        IGrainFactory grainFactory,
        EdgeNode node,
        RemoteDelivery remote,
        IOptions<ShardingOptions> sharding,
        IOptions<Configuration.MqttOptions> options,
        DeliveryCounters counters,
        TimeProvider time,
        ILogger<PublishRouter> logger)
    {
        _replica = replica;
        _connections = connections;
        _grainFactory = grainFactory;
        _node = node;
        _remote = remote;
        _sharding = sharding.Value;
        _handOffRetryTime = options.Value.GrainCallTimeout;
        Counters = counters;
        _time = time;
        _logger = logger;
        _observeFailure = task => LogHandOffFailed(task.Exception!.GetBaseException());
    }

    public DeliveryCounters Counters { get; }

    /// <summary>
    /// Delivers <paramref name="message"/> to every matching subscription. Returns the hand-offs that must
    /// complete before a QoS 1 or 2 publisher is acknowledged, or null; <paramref name="matched"/> says
    /// whether any subscription matched (5.0 PUBACK 0x10 otherwise).
    /// </summary>
    public Task? Route(TenantRoutes routes, PublishMessage message, RouteSubscriber? publisher, out bool matched) =>
        Route(routes, message, publisher, out matched, out _);

    /// <summary>As above; <paramref name="congested"/> lists subscribers past their high-water mark, whom the publisher should wait for.</summary>
    public Task? Route(TenantRoutes routes, PublishMessage message, RouteSubscriber? publisher, out bool matched, out List<IBackpressureSource>? congested)
    {
        congested = null;
        var collector = t_collector ??= new MatchCollector<RouteSubscriber>();
        routes.Tree.Match(message.Topic, collector, publisher);
        matched = collector.Count > 0 || collector.SharedMatches.Length > 0;
        if (!matched)
        {
            return null;
        }

        var now = _time.GetUtcNow().UtcTicks;
        var context = new RouteContext(message, now);
        foreach (ref readonly var match in collector.Matches)
        {
            var qos = Min(message.QoS, match.MaximumQoS);
            Deliver(match.Subscriber, ref context, qos, match.RetainAsPublished && message.Retain, collector.GetSubscriptionIdentifiers(match));
        }

        foreach (ref readonly var shared in collector.SharedMatches)
        {
            var qos = Min(message.QoS, shared.MaximumQoS);
            var id = shared.SubscriptionIdentifier;
            Deliver(shared.Subscriber, ref context, qos, shared.RetainAsPublished && message.Retain, id == 0 ? [] : [id]);
        }

        collector.Clear();
        congested = context.Congested;
        if (context.Pending is null)
        {
            return null;
        }

        if (message.QoS == QualityOfService.AtMostOnce)
        {
            // Nobody waits for a QoS 0 publish's hand-offs; failures are still logged.
            foreach (var task in context.Pending)
            {
                Observe(task);
            }

            return null;
        }

        return context.Pending.Count == 1 ? context.Pending[0] : Task.WhenAll(context.Pending);
    }

    /// <summary>Stores or clears the topic's retained message.</summary>
    public Task<RetainResult> StoreRetainedAsync(string tenant, MqttMessage message) =>
        _grainFactory.GetGrain<IRetainGrain>(SessionKey.Shard(tenant, _sharding.RetainShardOf(message.Topic))).SetAsync(message);

    /// <summary>Retained messages matching <paramref name="filter"/>: one shard, or every shard when the first level is a wildcard.</summary>
    public async Task<List<MqttMessage>> MatchRetainedAsync(string tenant, string filter, int limit)
    {
        var result = new List<MqttMessage>();
        if (limit <= 0)
        {
            return result;
        }

        if (!Grains.TopicFilter.IsWildcard(Grains.TopicFilter.FirstLevel(filter)))
        {
            var shard = _grainFactory.GetGrain<IRetainGrain>(SessionKey.Shard(tenant, _sharding.RetainShardOf(filter)));
            result.AddRange(await shard.MatchAsync(filter, limit).ConfigureAwait(false));
            return result;
        }

        var tasks = new Task<MqttMessage[]>[_sharding.RetainShards];
        for (var i = 0; i < tasks.Length; i++)
        {
            tasks[i] = _grainFactory.GetGrain<IRetainGrain>(SessionKey.Shard(tenant, i)).MatchAsync(filter, limit);
        }

        foreach (var found in await Task.WhenAll(tasks).ConfigureAwait(false))
        {
            foreach (var message in found)
            {
                if (result.Count < limit)
                {
                    result.Add(message);
                }
            }
        }

        return result;
    }

    /// <summary>Publishes on behalf of the broker (wills, administration): retained store, then delivery.</summary>
    public async Task PublishAsync(string tenant, MqttMessage message, CancellationToken cancellationToken = default)
    {
        var routes = await _replica.GetAsync(tenant).WaitAsync(cancellationToken).ConfigureAwait(false);
        if (message.Retain)
        {
            await StoreRetainedAsync(tenant, message).ConfigureAwait(false);
        }

        var publish = PublishMessage.FromMqttMessage(message, (QualityOfService)message.QoS, message.Retain, message.PublishedAtUtcTicks);
        try
        {
            var pending = Route(routes, publish, null, out _);
            if (pending is not null)
            {
                await pending.WaitAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            publish.Release();
        }
    }

    private void Deliver(RouteSubscriber subscriber, ref RouteContext context, QualityOfService qos, bool retain, ReadOnlySpan<uint> subscriptionIds)
    {
        if (subscriber.Persistent)
        {
            var inboxMessage = new InboxMessage
            {
                Message = context.GrainMessage ??= context.Message.ToMqttMessage(context.NowUtcTicks),
                QoS = (byte)qos,
                RetainFlag = retain,
                SubscriptionIds = subscriptionIds.IsEmpty ? null : subscriptionIds.ToArray(),
            };
            var inbox = subscriber.Inbox ??= _grainFactory.GetGrain<IInboxGrain>(subscriber.SessionKey);
            (context.Pending ??= new List<Task>()).Add(EnqueueAsync(inbox, inboxMessage));
            Counters.OnHandedToInbox();
            return;
        }

        if (!string.Equals(subscriber.Node, _node.Id, StringComparison.Ordinal))
        {
            if (subscriber.Node is null)
            {
                Counters.OnNoConnection();
                return;
            }

            // One hop to the subscriber's edge, batched with everything else bound for that node.
            var message = context.GrainMessage ??= context.Message.ToMqttMessage(context.NowUtcTicks);
            var sent = _remote.Enqueue(subscriber.Node, message, subscriber.SessionKey, subscriber.Epoch, (byte)qos, retain, subscriptionIds, out var node);
            if (sent is not null)
            {
                (context.Pending ??= new List<Task>()).Add(sent);
            }

            if (node is not null && !(context.Congested?.Contains(node) ?? false))
            {
                // The node's queue is past its high-water mark: it answers slower than we publish.
                (context.Congested ??= new List<IBackpressureSource>()).Add(node);
            }

            return;
        }

        var connection = subscriber.Connection;
        if (connection is null || connection.Epoch != subscriber.Epoch)
        {
            connection = _connections.Find(subscriber.SessionKey);
            if (connection is null || connection.Epoch != subscriber.Epoch)
            {
                // The connection is gone or not yet attached: a transient session's message is lost with it.
                Counters.OnNoConnection();
                return;
            }

            subscriber.Connection = connection;
        }

        if (connection.EnqueuePublish(context.Message, qos, retain, subscriptionIds))
        {
            (context.Congested ??= new List<IBackpressureSource>()).Add(connection);
        }
    }

    /// <summary>
    /// Hands a message to an inbox. A silo that is unreachable (dead but not yet declared so, or shutting
    /// down) is tried again with backoff while the publisher's acknowledgement waits, so that the grain
    /// comes back elsewhere once the view changes; QoS 1 allows the duplicate a retry may make.
    /// </summary>
    private async Task EnqueueAsync(IInboxGrain inbox, InboxMessage message)
    {
        var dropped = await Cluster.SiloFailover.RetryAsync(
            static state => state.inbox.EnqueueAsync([state.message]), (inbox, message), _handOffRetryTime, _time).ConfigureAwait(false);
        if (dropped > 0)
        {
            Counters.OnInboxOverflow(dropped);
        }
    }

    private void Observe(Task task)
    {
        if (task.IsCompletedSuccessfully)
        {
            return;
        }

        task.ContinueWith(_observeFailure, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    private static QualityOfService Min(QualityOfService a, QualityOfService b) => a < b ? a : b;

    [LoggerMessage(1, LogLevel.Warning, "A message could not be handed to a subscriber's inbox")]
    private partial void LogHandOffFailed(Exception exception);

    private struct RouteContext(PublishMessage message, long nowUtcTicks)
    {
        public readonly PublishMessage Message = message;
        public readonly long NowUtcTicks = nowUtcTicks;
        public MqttMessage? GrainMessage;
        public List<Task>? Pending;
        public List<IBackpressureSource>? Congested;
    }
}
