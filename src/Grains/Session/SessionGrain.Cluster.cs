using Bifro.Runtime;

namespace Bifro.Grains.Session;

/// <summary>The session when the cluster changes: its connection reattaching, its owner's node lost, its activation moved.</summary>
internal sealed partial class SessionGrain
{
    public async Task<bool> ReattachAsync(SessionReattachRequest request)
    {
        if (request.Epoch < S.Epoch)
        {
            // A newer connection took the session while the cluster changed.
            return false;
        }

        if (_owner is not null && request.Epoch == S.Epoch)
        {
            // This activation survived; the route shard may not have, and with it the transient routes.
            if (S.Subscriptions.Count > 0)
            {
                await UpsertRoutesAsync().ConfigureAwait(true);
            }

            return true;
        }

        if (_owner is not null)
        {
            // An epoch this activation never gave out: another activation did, before the view settled. The
            // newest connection wins, as a takeover would decide.
            _ = _owner.KickAsync(Key, S.Epoch, 0x8E, "Session taken over.");
        }

        await CancelRemindersAsync().ConfigureAwait(true);
        S.Epoch = request.Epoch;
        S.Persistent = request.Persistent;
        S.SessionExpiryInterval = request.SessionExpiryInterval;
        S.ProtocolVersion = request.ProtocolVersion;
        S.DisconnectedAtUtcTicks = 0;
        S.PendingWill = null;

        // The connection's copy is what its client was last told, so it wins over stored state.
        S.Subscriptions = new List<Subscription>(request.Subscriptions);
        _owner = request.Connection;
        _ownerNode = request.Node;
        _will = request.Will;
        if (S.Subscriptions.Count > 0)
        {
            await UpsertRoutesAsync().ConfigureAwait(true);
        }

        if (S.Persistent)
        {
            await _state.WriteStateAsync().ConfigureAwait(true);
        }

        DelayDeactivation(TimeSpan.MaxValue);
        LogReattached(Key, request.Node);
        return true;
    }

    public async Task OwnerNodeLostAsync(string node)
    {
        if (_owner is null || !string.Equals(_ownerNode, node, StringComparison.Ordinal))
        {
            return;
        }

        LogOwnerNodeLost(Key, node);
        if (S.Persistent)
        {
            // The inbox would keep pushing to a consumer that is gone.
            await GrainFactory.GetGrain<IInboxGrain>(Key).DetachAsync(S.Epoch, long.MaxValue).ConfigureAwait(true);
        }

        await DetachAsync(new SessionDetachRequest
        {
            Epoch = S.Epoch,
            Reason = DetachReason.Abnormal,
            PendingInboundQoS2 = S.PendingInboundQoS2,
        }).ConfigureAwait(true);
    }

    internal static bool MovedOrStopping(DeactivationReason reason) =>
        reason.ReasonCode is DeactivationReasonCode.DirectoryFailure or DeactivationReasonCode.ShuttingDown or DeactivationReasonCode.Migrating;
}
