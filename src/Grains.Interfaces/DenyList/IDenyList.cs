namespace Bifro.Grains;

/// <summary>
/// The deny lists as this node's replica holds them: what CONNECT consults, and what auth providers may
/// ask (take it in the provider's constructor). Lookups of a loaded list make no grain call.
/// </summary>
public interface IDenyList
{
    /// <summary>
    /// The first ban in force in <paramref name="scope"/> (a tenant id, or <see cref="DenyListScopes.Cluster"/>)
    /// that matches; null when none. Loads the list on its first use (a grain call), and then follows its changes.
    /// </summary>
    ValueTask<BanEntry?> FindAsync(string scope, string? clientId, string? user, string? remoteAddress, CancellationToken cancellationToken = default);
}
