namespace Bifro.Grains.Session;

/// <summary>The session's routes: one entry in its tenant's route shard, revised on every change.</summary>
internal sealed partial class SessionGrain
{
    private async Task<SessionRoute> UpsertRoutesAsync()
    {
        var route = new SessionRoute
        {
            SessionKey = Key,
            Revision = NextRevision(),
            Persistent = S.Persistent,
            Node = S.Persistent ? null : _ownerNode,
            Epoch = S.Epoch,
            Subscriptions = S.Subscriptions.ToArray(),
        };
        await RoutesShard().UpsertAsync(route).ConfigureAwait(true);
        return route;
    }

    private Task RemoveRoutesAsync() => RoutesShard().RemoveAsync(Key, NextRevision());

    private IRoutesGrain RoutesShard() => GrainFactory.GetGrain<IRoutesGrain>(SessionKey.Shard(Tenant, _sharding.RouteShardOf(Key)));

    private long NextRevision() => S.Revision = Math.Max(S.Revision + 1, _time.GetUtcNow().UtcTicks);
}
