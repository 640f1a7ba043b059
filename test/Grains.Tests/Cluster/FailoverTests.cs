using System.Collections.Concurrent;
using Bifro.Grains.Inbox;
using Bifro.Grains.Tests.Support;
using Bifro.Runtime;
using Bifro.TestKit;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Bifro.Grains.Tests.Cluster;

/// <summary>
/// What sessions, inboxes and route shards do when the cluster changes under a live connection: a
/// fresh activation (its silo died, or membership moved it) takes back what the connection still holds,
/// a newer connection always wins, and a lost node's connections end abnormally.
/// </summary>
public sealed class FailoverTests : IAsyncLifetime
{
    private static readonly Subscription Sensors = new("sensors/#", null, 1, false, false, 0, 0);
    private readonly RecordingPublisher _publisher = new();
    private readonly RecordingConnections _connections = new();
    private TestSilo _silo = null!;
    private bool _stopped;

    private IGrainFactory Grains => _silo.GrainFactory;

    public async Task InitializeAsync()
    {
        _silo = await TestSilo.StartAsync(services: services =>
        {
            services.AddSingleton<IMessagePublisher>(_publisher);
            services.Configure<InboxOptions>(o => o.MaxMessages = 100);
        });
    }

    public async Task DisposeAsync()
    {
        if (!_stopped)
        {
            await _silo.DisposeAsync();
        }
    }

    [Fact(Timeout = 30_000)]
    public async Task Reattach_FreshActivation_TakesBackOwnerSubscriptionsAndRoutes()
    {
        var observer = Grains.CreateObjectReference<IConnectionObserver>(_connections);
        const string key = "t/fresh";
        var epoch = DateTime.UtcNow.Ticks;

        var owned = await Grains.GetGrain<ISessionGrain>(key).ReattachAsync(Reattach(observer, epoch, "node-a", Sensors));

        Assert.True(owned);
        var info = await Grains.GetGrain<ISessionGrain>(key).GetInfoAsync();
        Assert.True(info.Connected);
        Assert.Equal(epoch, info.Epoch);
        Assert.Equal("node-a", info.Node);
        Assert.Equal([Sensors], info.Subscriptions);
        var route = Assert.Single(await RoutesOfAsync(key));
        Assert.Equal(("node-a", epoch), (route.Node, route.Epoch));
        Assert.Equal([Sensors], route.Subscriptions);
    }

    [Fact(Timeout = 30_000)]
    public async Task Reattach_OlderEpochThanTheOwner_Refused()
    {
        var observer = Grains.CreateObjectReference<IConnectionObserver>(_connections);
        const string key = "t/older";
        var attached = await AttachAsync(key, observer);

        var owned = await Grains.GetGrain<ISessionGrain>(key).ReattachAsync(Reattach(observer, attached.Epoch - 1, "node-b"));

        Assert.False(owned);
        Assert.Equal(attached.Epoch, (await Grains.GetGrain<ISessionGrain>(key).GetInfoAsync()).Epoch);
    }

    [Fact(Timeout = 30_000)]
    public async Task Reattach_SameEpochOnLiveOwner_RepublishesRoutes()
    {
        var observer = Grains.CreateObjectReference<IConnectionObserver>(_connections);
        const string key = "t/same";
        var attached = await AttachAsync(key, observer);
        await Grains.GetGrain<ISessionGrain>(key).SubscribeAsync(attached.Epoch, [Sensors]);
        var before = Assert.Single(await RoutesOfAsync(key)).Revision;

        Assert.True(await Grains.GetGrain<ISessionGrain>(key).ReattachAsync(Reattach(observer, attached.Epoch, "node-a", Sensors)));

        // The shard may have lost it with its silo; a newer revision puts it back.
        Assert.True(Assert.Single(await RoutesOfAsync(key)).Revision > before);
        Assert.Empty(_connections.Kicks);
    }

    [Fact(Timeout = 30_000)]
    public async Task Attach_AfterActivationLoss_OutranksTheOlderConnectionsReattach()
    {
        var observer = Grains.CreateObjectReference<IConnectionObserver>(_connections);
        const string key = "t/newer-wins";
        var olderEpoch = DateTime.UtcNow.Ticks - TimeSpan.TicksPerSecond;

        // The session's silo died; a new CONNECT reaches the fresh activation before the older
        // connection's edge reattaches.
        var attached = await AttachAsync(key, observer);
        var owned = await Grains.GetGrain<ISessionGrain>(key).ReattachAsync(Reattach(observer, olderEpoch, "node-b"));

        Assert.True(attached.Epoch > olderEpoch);
        Assert.False(owned);
    }

    [Fact(Timeout = 30_000)]
    public async Task Reattach_NewerEpochThanLiveOwner_KicksTheOwner()
    {
        var observer = Grains.CreateObjectReference<IConnectionObserver>(_connections);
        const string key = "t/duplicate";
        var attached = await AttachAsync(key, observer);

        Assert.True(await Grains.GetGrain<ISessionGrain>(key).ReattachAsync(Reattach(observer, attached.Epoch + 1, "node-b")));

        await Eventually.TrueAsync(() => _connections.Kicks.Contains((key, attached.Epoch, (byte)0x8E)));
        Assert.Equal(attached.Epoch + 1, (await Grains.GetGrain<ISessionGrain>(key).GetInfoAsync()).Epoch);
    }

    [Fact(Timeout = 30_000)]
    public async Task OwnerNodeLost_TransientSessionEndsAndItsWillIsPublished()
    {
        var observer = Grains.CreateObjectReference<IConnectionObserver>(_connections);
        const string key = "t/lost";
        var will = new WillMessage { Message = new MqttMessage { Topic = "status/lost", Payload = "gone"u8.ToArray(), QoS = 1 } };
        var attached = await AttachAsync(key, observer, will);
        await Grains.GetGrain<ISessionGrain>(key).SubscribeAsync(attached.Epoch, [Sensors]);

        await Grains.GetGrain<ISessionGrain>(key).OwnerNodeLostAsync("another-node");
        Assert.True((await Grains.GetGrain<ISessionGrain>(key).GetInfoAsync()).Connected);
        Assert.Empty(_publisher.Published);

        await Grains.GetGrain<ISessionGrain>(key).OwnerNodeLostAsync("node-a");

        Assert.Equal(("t", "status/lost"), Assert.Single(_publisher.Published));
        Assert.False((await Grains.GetGrain<ISessionGrain>(key).GetInfoAsync()).Exists);
        Assert.Empty(await RoutesOfAsync(key));
    }

    [Fact(Timeout = 30_000)]
    public async Task RoutesNodeLost_RemovesOnlyThatNodesTransientRoutes()
    {
        var shard = Grains.GetGrain<IRoutesGrain>("t/lost-routes");
        await shard.UpsertAsync(new SessionRoute { SessionKey = "t/a", Revision = 1, Node = "node-a", Epoch = 1, Subscriptions = [Sensors] });
        await shard.UpsertAsync(new SessionRoute { SessionKey = "t/b", Revision = 1, Node = "node-b", Epoch = 1, Subscriptions = [Sensors] });
        await shard.UpsertAsync(new SessionRoute { SessionKey = "t/c", Revision = 1, Persistent = true, Subscriptions = [Sensors] });

        Assert.Equal(1, await shard.NodeLostAsync("node-a"));

        var left = (await shard.GetSnapshotAsync()).Routes.Select(r => r.SessionKey).Order().ToList();
        Assert.Equal(["t/b", "t/c"], left);

        // A late upsert of the removed route's revision does not bring it back.
        await shard.UpsertAsync(new SessionRoute { SessionKey = "t/a", Revision = 1, Node = "node-a", Epoch = 1, Subscriptions = [Sensors] });
        Assert.DoesNotContain("t/a", (await shard.GetSnapshotAsync()).Routes.Select(r => r.SessionKey));
    }

    [Fact(Timeout = 30_000)]
    public async Task InboxReattach_ForgetsWhatWasAcknowledgedAndResumesAfterWhatWasReceived()
    {
        const string key = "t/inbox";
        var inbox = Grains.GetGrain<IInboxGrain>(key);
        var before = new RecordingConsumer();
        await inbox.AttachAsync(Grains.CreateObjectReference<IInboxConsumer>(before), 5, 10);
        await inbox.EnqueueAsync([.. Enumerable.Range(1, 5).Select(i => Message(i))]);
        await Eventually.TrueAsync(() => before.Sequences.Count == 5);
        var s = before.Sequences;
        var consumer = new RecordingConsumer();

        // The connection had the first three, acknowledged two (the acknowledgements never arrived), holds the third.
        Assert.True(await inbox.ReattachAsync(Grains.CreateObjectReference<IInboxConsumer>(consumer), 7, 10, receivedUpTo: s[2], holding: [s[2]]));

        await Eventually.TrueAsync(() => consumer.Sequences.Count == 2);
        Assert.Equal([s[3], s[4]], consumer.Sequences);
        var info = await inbox.GetInfoAsync();
        Assert.Equal(3, info.Count);
        Assert.Equal(3, info.InFlight);

        await inbox.AckAsync(7, [s[2], s[3], s[4]]);
        Assert.Equal(0, (await inbox.GetInfoAsync()).Count);
    }

    [Fact(Timeout = 30_000)]
    public async Task InboxDetach_WhatTheClosingConnectionNeverTook_IsAFirstDeliveryNext()
    {
        const string key = "t/inbox-detach";
        var inbox = Grains.GetGrain<IInboxGrain>(key);
        var closing = new RecordingConsumer();
        await inbox.AttachAsync(Grains.CreateObjectReference<IInboxConsumer>(closing), 5, 10);
        await inbox.EnqueueAsync([Message(1), Message(2), Message(3)]);
        await Eventually.TrueAsync(() => closing.Sequences.Count == 3);
        var s = closing.Sequences;

        // The connection took the first message; the other two reached it while it was closing, and it dropped them.
        await inbox.DetachAsync(5, receivedUpTo: s[0]);
        var next = new RecordingConsumer();
        await inbox.AttachAsync(Grains.CreateObjectReference<IInboxConsumer>(next), 6, 10);

        await Eventually.TrueAsync(() => next.Sequences.Count == 3);
        Assert.Equal([InboxMessage.Sent, InboxMessage.Queued, InboxMessage.Queued], next.States);
    }

    [Fact(Timeout = 30_000)]
    public async Task InboxReattach_NewMessagesNeverReuseASequenceTheConnectionHasSeen()
    {
        var inbox = Grains.GetGrain<IInboxGrain>("t/inbox-sequence");
        var consumer = new RecordingConsumer();

        // What the connection received came from an activation on a silo whose clock was ahead.
        var receivedUpTo = DateTime.UtcNow.Ticks + TimeSpan.TicksPerHour;
        Assert.True(await inbox.ReattachAsync(Grains.CreateObjectReference<IInboxConsumer>(consumer), 3, 10, receivedUpTo, holding: []));

        await inbox.EnqueueAsync([Message(1)]);

        await Eventually.TrueAsync(() => consumer.Sequences.Count == 1);
        Assert.Equal(receivedUpTo + 1, consumer.Sequences[0]);
    }

    [Fact(Timeout = 30_000)]
    public async Task InboxNextActivation_NothingStored_MessagesBeforeTheReattachAreDelivered()
    {
        const string key = "t/inbox-next-activation";
        var consumer = new RecordingConsumer();
        var reference = Grains.CreateObjectReference<IInboxConsumer>(consumer);
        await Grains.GetGrain<IInboxGrain>(key).AttachAsync(reference, 5, 10);
        await Grains.GetGrain<IInboxGrain>(key).EnqueueAsync([Message(1), Message(2), Message(3)]);
        await Eventually.TrueAsync(() => consumer.Sequences.Count == 3);
        var receivedUpTo = consumer.Sequences[^1];

        // Everything acknowledged, then the activation goes (its silo died): the next one finds nothing stored.
        await Grains.GetGrain<IInboxGrain>(key).ClearAsync();

        // Messages reach the next activation before the connection's edge reattaches to it.
        await Grains.GetGrain<IInboxGrain>(key).EnqueueAsync([Message(4), Message(5)]);
        Assert.True(await Grains.GetGrain<IInboxGrain>(key).ReattachAsync(reference, 5, 10, receivedUpTo, holding: []));

        await Eventually.TrueAsync(() => consumer.Sequences.Count == 5, TimeSpan.FromSeconds(5), "the messages enqueued before the reattach");
        Assert.True(consumer.Sequences[3] > receivedUpTo);
        Assert.Equal(2, (await Grains.GetGrain<IInboxGrain>(key).GetInfoAsync()).Count);
    }

    [Fact(Timeout = 30_000)]
    public async Task InboxReattach_OlderEpochThanTheAttachedConnection_Refused()
    {
        var inbox = Grains.GetGrain<IInboxGrain>("t/inbox-older");
        var consumer = Grains.CreateObjectReference<IInboxConsumer>(new RecordingConsumer());
        await inbox.AttachAsync(consumer, 10, 10);

        Assert.False(await inbox.ReattachAsync(consumer, 9, 10, 0, []));
        Assert.True(await inbox.ReattachAsync(consumer, 10, 10, 0, []));
    }

    [Fact(Timeout = 30_000)]
    public async Task SiloStops_LiveConnectionsAndReplicasAreToldToReattach()
    {
        var observer = Grains.CreateObjectReference<IConnectionObserver>(_connections);
        const string key = "t/moving";
        var attached = await AttachAsync(key, observer);
        await Grains.GetGrain<ISessionGrain>(key).SubscribeAsync(attached.Epoch, [Sensors]);
        var consumer = new RecordingConsumer();
        await Grains.GetGrain<IInboxGrain>(key).AttachAsync(Grains.CreateObjectReference<IInboxConsumer>(consumer), attached.Epoch, 10);
        var replica = new RecordingReplica();
        var shard = SessionKey.Shard("t", _silo.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<ShardingOptions>>().Value.RouteShardOf(key));
        await Grains.GetGrain<IRoutesGrain>(shard).SubscribeAsync(Grains.CreateObjectReference<IRouteChangeObserver>(replica));

        // Stopping deactivates every activation; each tells whom it serves that it is going away.
        await _silo.DisposeAsync();
        _stopped = true;

        await Eventually.TrueAsync(() => _connections.Moved.Contains((key, attached.Epoch)), TimeSpan.FromSeconds(5), "the session tells its connection");
        await Eventually.TrueAsync(() => consumer.Moved.Contains(attached.Epoch), TimeSpan.FromSeconds(5), "the inbox tells its consumer");
        await Eventually.TrueAsync(() => replica.Moved.Contains(shard), TimeSpan.FromSeconds(5), "the route shard tells its replicas");
    }

    private async Task<SessionAttachResult> AttachAsync(string key, IConnectionObserver observer, WillMessage? will = null) =>
        await Grains.GetGrain<ISessionGrain>(key).AttachAsync(new SessionAttachRequest
        {
            Connection = observer,
            Node = "node-a",
            CleanStart = true,
            Will = will,
            ProtocolVersion = 5,
        });

    private static SessionReattachRequest Reattach(IConnectionObserver observer, long epoch, string node, params Subscription[] subscriptions) => new()
    {
        Connection = observer,
        Node = node,
        Epoch = epoch,
        ProtocolVersion = 5,
        Subscriptions = subscriptions,
    };

    private async Task<List<SessionRoute>> RoutesOfAsync(string sessionKey)
    {
        var sharding = _silo.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<ShardingOptions>>().Value;
        var shard = Grains.GetGrain<IRoutesGrain>(SessionKey.Shard(SessionKey.TenantOf(sessionKey), sharding.RouteShardOf(sessionKey)));
        return (await shard.GetSnapshotAsync()).Routes.Where(r => r.SessionKey == sessionKey).ToList();
    }

    private static InboxMessage Message(int i) => new()
    {
        Message = new MqttMessage { Topic = $"sensors/{i}", Payload = [(byte)i], QoS = 1 },
        QoS = 1,
    };

    private sealed class RecordingConsumer : IInboxConsumer
    {
        private readonly object _lock = new();
        private readonly List<long> _sequences = new();
        private readonly List<byte> _states = new();

        public ConcurrentQueue<long> Moved { get; } = new();

        /// <summary>The delivery state of each message as pushed: Sent means a redelivery (DUP).</summary>
        public List<byte> States
        {
            get
            {
                lock (_lock)
                {
                    return [.. _states];
                }
            }
        }

        public Task OnInboxMovedAsync(long epoch)
        {
            Moved.Enqueue(epoch);
            return Task.CompletedTask;
        }

        public List<long> Sequences
        {
            get
            {
                lock (_lock)
                {
                    return [.. _sequences];
                }
            }
        }

        public Task OnMessagesAsync(long epoch, InboxMessage[] messages)
        {
            lock (_lock)
            {
                foreach (var message in messages)
                {
                    _sequences.Add(message.Sequence);
                    _states.Add(message.DeliveryState);
                }
            }

            return Task.CompletedTask;
        }
    }

    private sealed class RecordingReplica : IRouteChangeObserver
    {
        public ConcurrentQueue<string> Moved { get; } = new();

        public Task OnRouteChangedAsync(RouteChange change) => Task.CompletedTask;

        public Task OnShardMovedAsync(string shard)
        {
            Moved.Enqueue(shard);
            return Task.CompletedTask;
        }
    }
}
