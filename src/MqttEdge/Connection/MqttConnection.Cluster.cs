using Bifro.Grains;

namespace Bifro.MqttEdge.Connection;

/// <summary>
/// This connection when the cluster changes under it: the silo holding its session, inbox or route
/// shard may have gone, and with it what that activation kept in memory. The connection holds a copy of
/// everything it told its session, and gives it back.
/// </summary>
internal sealed partial class MqttConnection
{
    private Grains.WillMessage? _will;
    private Subscription[] _subscriptions = [];
    private long _inboxReceivedUpTo;

    /// <summary>
    /// Attaches the inbox of a persistent session after CONNACK. The inbox's silo may have died moments ago
    /// and not yet be declared dead, so that the call fails at once with SiloUnavailableException; the inbox
    /// comes back on another silo as soon as the view changes. Closing the connection (CONNACK already said
    /// yes) would only make the client come back to the same wait, so the attach is tried again, with
    /// backoff, within the grain call timeout. Retries reattach: that is idempotent with EdgeRecovery's pass,
    /// which reattaches the same inbox once its owner has changed.
    /// </summary>
    private async Task AttachInboxAsync()
    {
        var timeout = _edge.Options.GrainCallTimeout;
        var time = _edge.Time;
        var deadline = time.GetTimestamp() + (long)(timeout.TotalSeconds * time.TimestampFrequency);
        var delay = TimeSpan.FromMilliseconds(100);
        try
        {
            await Inbox.AttachAsync(InboxConsumerReference, Epoch, _clientReceiveMaximum).WaitAsync(timeout).ConfigureAwait(false);
            return;
        }
        catch (Runtime.SiloUnavailableException) when (time.GetTimestamp() + (long)(delay.TotalSeconds * time.TimestampFrequency) < deadline)
        {
        }

        while (true)
        {
            await Task.Delay(delay, time).ConfigureAwait(false);
            try
            {
                await ReattachAsync(session: false, inbox: true).ConfigureAwait(false);
                return;
            }
            catch (Runtime.SiloUnavailableException) when (time.GetTimestamp() + (long)(delay.TotalSeconds * time.TimestampFrequency) < deadline)
            {
                delay = TimeSpan.FromMilliseconds(Math.Min(delay.TotalMilliseconds * 2, 1000));
            }
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
