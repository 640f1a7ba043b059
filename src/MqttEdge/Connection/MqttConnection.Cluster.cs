using Bifro.Grains;
using Bifro.MqttEdge.Cluster;
using Bifro.MqttEdge.Codec;

namespace Bifro.MqttEdge.Connection;

/// <summary>
/// This connection when the cluster changes under it: the silo holding its session, inbox or route
/// shard may have gone, and with it what that activation kept in memory. The connection holds a copy of
/// everything it told its session, and gives it back.
/// </summary>
internal sealed partial class MqttConnection
{
    // A moved activation says so while it deactivates; calls made in that moment could still reach it.
    private static readonly TimeSpan MovedActivationGrace = TimeSpan.FromMilliseconds(250);

    private Grains.WillMessage? _will;
    private Subscription[] _subscriptions = [];
    private long _inboxReceivedUpTo;

    /// <summary>A transient session with subscriptions: its routes live only in its shard's memory.</summary>
    public bool HasTransientRoutes => !_persistent && _subscriptions.Length > 0;

    /// <summary>The session's or inbox's activation told this connection it is going away (moved, or its silo stops).</summary>
    public void ReattachSoon(bool session, bool inbox) => _ = ReattachOrCloseAsync(session, inbox, MovedActivationGrace);

    public Task OnInboxMovedAsync(long epoch)
    {
        if (epoch == Epoch)
        {
            ReattachSoon(session: false, inbox: true);
        }

        return Task.CompletedTask;
    }

    /// <summary>Reattaches, riding out a silo that is unreachable for now; when that fails, closes, so that the client's reconnect attaches the session afresh.</summary>
    public async Task ReattachOrCloseAsync(bool session, bool inbox, TimeSpan delay)
    {
        try
        {
            if (delay > TimeSpan.Zero)
            {
                await Task.Delay(delay, _edge.Time).ConfigureAwait(false);
            }

            // The grain's owner in this edge's view may be a silo that crashed and is not yet declared dead (a
            // pass for an older view often meets a kill -9): calls to it fail at once until the view changes,
            // then reach the grain's next owner. Closing the connection now would only make its client wait
            // for the same thing; a silo still unreachable after the grain call timeout closes it.
            await SiloFailover.RetryAsync(
                static async state =>
                {
                    await state.Connection.ReattachAsync(state.Session, state.Inbox).ConfigureAwait(false);
                    return true;
                },
                (Connection: this, Session: session, Inbox: inbox),
                _edge.Options.GrainCallTimeout,
                _edge.Time).ConfigureAwait(false);
        }
        catch (Exception exception)
        {
            LogReattachFailed(_edge.Logger, exception, SessionKey);

            // Closed by the server, not kicked by anyone: the cause is recorded first, and the first cause wins.
            SetCloseCause(EventType.ByServer, ReasonCode.ServerShuttingDown, "The cluster changed and the session could not be kept: " + exception.Message);
            Kick(0x8B, "The cluster changed and the session could not be kept.");
        }
    }

    /// <summary>
    /// Reattaches the session (and its route), the inbox, or both. A session or inbox that a newer
    /// connection owns answers no, and this connection closes as a takeover would close it.
    /// </summary>
    public async Task ReattachAsync(bool session, bool inbox)
    {
        if (_phase != ConnectionPhase.Connected || _session is null)
        {
            return;
        }

        var timeout = _edge.Options.GrainCallTimeout;
        if (session)
        {
            var owned = await _session.ReattachAsync(new SessionReattachRequest
            {
                Connection = _edge.EdgeObserver,
                Node = _edge.Node.Id,
                Epoch = Epoch,
                Persistent = _persistent,
                SessionExpiryInterval = _sessionExpiryInterval,
                Will = _will,
                ProtocolVersion = (byte)_version,
                Subscriptions = _subscriptions,
            }).WaitAsync(timeout).ConfigureAwait(false);
            if (!owned)
            {
                Kick(0x8E, "Session taken over.");
                return;
            }
        }

        if (inbox && _persistent)
        {
            long receivedUpTo;
            var holding = new List<long>();
            lock (_sync)
            {
                receivedUpTo = _inboxReceivedUpTo;
                foreach (var sequence in _outboundIds?.Values ?? (IEnumerable<long>)[])
                {
                    if (sequence > 0)
                    {
                        holding.Add(sequence);
                    }
                }

                _publishes.CollectInboxSequences(holding);
            }

            var owned = await Inbox.ReattachAsync(InboxConsumerReference, Epoch, _clientReceiveMaximum, receivedUpTo, holding.ToArray())
                .WaitAsync(timeout).ConfigureAwait(false);
            if (!owned)
            {
                Kick(0x8E, "Session taken over.");
            }
        }
    }
}
