using System.Collections.Concurrent;
using Bifro.Runtime.Activation;
using Bifro.Runtime.Membership;
using Bifro.Runtime.Messaging;
using Bifro.Streams;
using Microsoft.Extensions.DependencyInjection;

namespace Bifro.Runtime.Streams;

/// <summary>
/// Streams across nodes: the rendezvous registrations, the queues to other nodes, the events other
/// nodes send here, and what a membership change asks (register again; let go of a lost node).
/// </summary>
internal sealed partial class MemoryStreamProvider
{
    // Registrations are made again after a membership change, twice: at once, and once every node has
    // surely seen the new view (a call routed by a node with an older view can reach the old activation).
    private static readonly TimeSpan FirstPass = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan SecondPass = TimeSpan.FromSeconds(5);

    private readonly ConcurrentDictionary<string, StreamNodeQueue> _nodeQueues = new(StringComparer.Ordinal);
    private readonly object _viewLock = new();
    private System.Collections.Immutable.ImmutableArray<SiloAddress> _lastActive;
    private StreamNodeTarget? _target;

    /// <summary>Whether other nodes exist: events then go to their subscribers too.</summary>
    public bool IsClustered { get; }

    /// <summary>This node, as other nodes address it (a silo address, or "cl:{name}" for a cluster client).</summary>
    public string NodeIdentity { get; }


    /// <summary>Makes this node reachable by other nodes' producers and rendezvous, and follows membership.</summary>
    public void Start()
    {
        if (!IsClustered || _target is not null)
        {
            return;
        }

        _target = new StreamNodeTarget(this);
        _observers.RegisterWellKnown(StreamNodeTargetNames.For(Name), _target);
        _lastActive = _membership.Current.Active;
        _membership.ViewChanged += OnViewChanged;
        _membership.NodeLost += OnNodeLost;
    }

    private void StopFollowingMembership()
    {
        if (_target is null)
        {
            return;
        }

        _membership.ViewChanged -= OnViewChanged;
        _membership.NodeLost -= OnNodeLost;
    }

    public IReadOnlyList<StreamNodeCounters> GetNodeQueues()
    {
        var result = new List<StreamNodeCounters>(_nodeQueues.Count);
        foreach (var queue in _nodeQueues.Values)
        {
            result.Add(queue.GetCounters());
        }

        return result;
    }

    /// <summary>The queue of events for <paramref name="node"/>'s subscribers.</summary>
    internal StreamNodeQueue GetNodeQueue(string node) =>
        _nodeQueues.GetOrAdd(node, static (n, self) => new StreamNodeQueue(self, n), this);

    /// <summary>This node starts producing to the stream: asks its rendezvous who consumes it.</summary>
    internal void RegisterProducer(StreamState state) => _ = RegisterProducerAsync(state);

    /// <summary>A batch from another node's producer: to this node's explicit subscribers of each stream.</summary>
    internal int DeliverFromNode(StreamNodeBatch batch)
    {
        var accepted = 0;
        var nowhere = 0;
        for (var i = 0; i < batch.Items.Length; i++)
        {
            var streamId = batch.Streams[batch.StreamIndexes[i]];
            if (_accepting && _streams.TryGetValue(streamId, out var state) && state.DeliverFromNode(batch.Items[i]) > 0)
            {
                accepted++;
            }
            else
            {
                // Its last subscriber here left while the event was on its way.
                nowhere++;
            }
        }

        if (nowhere > 0)
        {
            CountDelivered(0, nowhere);
        }

        return accepted;
    }

    /// <summary>A stream's rendezvous says who consumes it now.</summary>
    internal void ApplyConsumers(StreamConsumerNodes consumers)
    {
        if (_streams.TryGetValue(consumers.StreamId, out var state))
        {
            state.ApplyConsumers(consumers);
        }
    }

    private IStreamPubSubGrain Rendezvous(StreamId streamId) => GrainFactory.GetGrain<IStreamPubSubGrain>($"{Name}/{streamId}");

    private async Task RegisterProducerAsync(StreamState state)
    {
        try
        {
            var consumers = await Rendezvous(state.StreamId).RegisterProducerAsync(Name, state.StreamId, NodeIdentity).ConfigureAwait(false);
            state.ApplyConsumers(consumers);
        }
        catch (Exception exception)
        {
            var discarded = state.RegistrationFailed();
            CountDelivered(0, discarded);
            LogRegistrationFailed(exception, state.StreamId, discarded);
        }
    }

    private async Task SetConsumerAsync(StreamState state, long revision, bool consuming) =>
        await Rendezvous(state.StreamId).SetConsumerAsync(Name, state.StreamId, NodeIdentity, revision, consuming).ConfigureAwait(false);

    private void OnViewChanged(MembershipView view)
    {
        lock (_viewLock)
        {
            if (!_lastActive.IsDefault && _lastActive.SequenceEqual(view.Active))
            {
                // Statuses changed (Joining, ShuttingDown) but no grain moved.
                return;
            }

            _lastActive = view.Active;
        }

        _ = RegisterAgainAsync();
    }

    /// <summary>Rendezvous grains that moved lost their lists: every node tells them again what it consumes and produces.</summary>
    private async Task RegisterAgainAsync()
    {
        try
        {
            await Task.Delay(FirstPass, _time).ConfigureAwait(false);
            await RegisterAllAsync().ConfigureAwait(false);
            await Task.Delay(SecondPass - FirstPass, _time).ConfigureAwait(false);
            await RegisterAllAsync().ConfigureAwait(false);
        }
        catch (Exception exception)
        {
            LogReregistrationFailed(exception);
        }
    }

    private async Task RegisterAllAsync()
    {
        if (_stopped)
        {
            return;
        }

        var calls = new List<Task>();
        foreach (var state in _streams.Values)
        {
            if (state.HasLocalConsumers)
            {
                calls.Add(Rendezvous(state.StreamId).SetConsumerAsync(Name, state.StreamId, NodeIdentity, state.ConsumerRevision, consuming: true));
            }

            if (state.IsProducer)
            {
                calls.Add(RefreshProducerAsync(state));
            }
        }

        try
        {
            await Task.WhenAll(calls).ConfigureAwait(false);
        }
        catch (Exception exception)
        {
            LogReregistrationFailed(exception);
        }
    }

    private async Task RefreshProducerAsync(StreamState state) =>
        state.ApplyConsumers(await Rendezvous(state.StreamId).RegisterProducerAsync(Name, state.StreamId, NodeIdentity).ConfigureAwait(false));

    /// <summary>A node is gone: this node sends it nothing more, and the rendezvous grains living here forget it.</summary>
    private void OnNodeLost(string node)
    {
        if (_nodeQueues.TryRemove(node, out var queue))
        {
            queue.Remove();
        }

        foreach (var state in _streams.Values)
        {
            state.RemoveNode(node);
        }

        if (_services.GetService<Catalog>() is { } catalog)
        {
            _ = SweepRendezvousAsync(catalog, node);
        }
    }

    private async Task SweepRendezvousAsync(Catalog catalog, string node)
    {
        try
        {
            var type = GrainClassRegistry.ResolveGrainType(typeof(IStreamPubSubGrain), null);
            var calls = new List<Task>();
            var prefix = Name + "/";
            foreach (var id in catalog.GetActivationIds(type))
            {
                if (!id.Key.StartsWith(prefix, StringComparison.Ordinal))
                {
                    continue;
                }

                calls.Add(GrainFactory.GetGrain<IStreamPubSubGrain>(id).NodeLostAsync(node));
            }

            await Task.WhenAll(calls).ConfigureAwait(false);
        }
        catch (Exception exception)
        {
            LogReregistrationFailed(exception);
        }
    }
}
