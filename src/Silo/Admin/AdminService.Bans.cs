using Bifro.Grains;

namespace Bifro.Silo.Admin;

/// <summary>Deny lists and kicks: over the DenyList grains and ISessionGrain.KickAsync.</summary>
internal sealed partial class AdminService
{
    /// <summary>5.0 DISCONNECT reason 0x98, Administrative Action.</summary>
    private const byte AdministrativeAction = 0x98;

    public async Task<BanList> ListBansAsync(string? tenant, bool cluster)
    {
        var scope = ScopeOf(tenant, cluster);
        var bans = await grains.GetGrain<IDenyListGrain>(scope).ListAsync().WaitAsync(_timeout).ConfigureAwait(false);
        var views = new List<BanView>(bans.Length);
        foreach (var ban in bans)
        {
            views.Add(View(scope, ban));
        }

        views.Sort(static (a, b) => string.CompareOrdinal(a.Id, b.Id));
        return new BanList(ScopeName(scope), views);
    }

    public async Task<BanView> AddBanAsync(BanAddRequest? request)
    {
        if (request is null)
        {
            throw AdminProblemException.BadRequest("The body must be a JSON object with \"kind\" and \"value\".");
        }

        var scope = ScopeOf(request.Tenant, request.Cluster);
        if (!Enum.TryParse<BanKind>(request.Kind, ignoreCase: true, out var kind) || !Enum.IsDefined(kind) || int.TryParse(request.Kind, out _))
        {
            throw AdminProblemException.BadRequest($"\"kind\" '{request.Kind}' must be one of ClientId, User, Address, Cidr.");
        }

        if (!BanValues.TryNormalize(kind, request.Value, out var value, out var error))
        {
            throw AdminProblemException.BadRequest($"\"value\": {error}");
        }

        if (request.DurationSeconds is <= 0)
        {
            throw AdminProblemException.BadRequest("\"durationSeconds\" must be positive; leave it out for a ban that lasts until removed.");
        }

        try
        {
            var ban = await grains.GetGrain<IDenyListGrain>(scope).AddAsync(new BanRequest
            {
                Kind = kind,
                Value = value,
                Duration = request.DurationSeconds is { } seconds ? TimeSpan.FromSeconds(seconds) : null,
                Reason = request.Reason,
                Source = "admin",
            }).WaitAsync(_timeout).ConfigureAwait(false);
            return View(scope, ban);
        }
        catch (ArgumentException exception)
        {
            throw AdminProblemException.BadRequest(exception.Message);
        }
    }

    public async Task<BanList> RemoveBanAsync(string id, string? tenant, bool cluster)
    {
        var scope = ScopeOf(tenant, cluster);
        if (!await grains.GetGrain<IDenyListGrain>(scope).RemoveAsync(id).WaitAsync(_timeout).ConfigureAwait(false))
        {
            throw AdminProblemException.NotFound($"The deny list of {ScopeName(scope)} has no ban '{id}'.");
        }

        return await ListBansAsync(tenant, cluster).ConfigureAwait(false);
    }

    /// <summary>Closes the session's connection on whichever node holds it (5.0: DISCONNECT 0x98 first).</summary>
    public async Task<KickResult> KickAsync(KickRequest? request)
    {
        if (request is null || string.IsNullOrEmpty(request.ClientId))
        {
            throw AdminProblemException.BadRequest("The body must be a JSON object with \"clientId\" (and \"tenant\", \"default\" if not given).");
        }

        var tenant = request.Tenant ?? SessionKey.DefaultTenant;
        var key = SessionKeyOf(tenant, request.ClientId);
        var kicked = await Session(key).KickAsync(AdministrativeAction, request.Reason ?? "Disconnected by an administrator.").WaitAsync(_timeout).ConfigureAwait(false);
        if (!kicked)
        {
            throw AdminProblemException.NotFound($"Tenant '{tenant}' has no connected session for client id '{request.ClientId}'.");
        }

        return new KickResult(tenant, request.ClientId, Disconnected: true, SessionEnded: false);
    }

    private static string ScopeOf(string? tenant, bool cluster)
    {
        if (cluster)
        {
            if (tenant is not null)
            {
                throw AdminProblemException.BadRequest("Give a tenant or cluster=true, not both: the cluster-wide deny list belongs to no tenant.");
            }

            return DenyListScopes.Cluster;
        }

        tenant ??= SessionKey.DefaultTenant;
        CheckTenant(tenant);
        return tenant;
    }

    private static string ScopeName(string scope) => scope == DenyListScopes.Cluster ? "the cluster" : $"tenant '{scope}'";

    private static BanView View(string scope, BanEntry ban) =>
        new(ban.Id, scope == DenyListScopes.Cluster ? "cluster" : scope, ban.Kind.ToString(), ban.Value, ban.CreatedAt, ban.ExpiresAt, ban.Reason, ban.Source);
}
