using Bifro.Runtime;

namespace Bifro.Silo.Admin;

/// <summary>
/// Every node's view of its own MQTT connections, registered under the well-known name
/// <see cref="EdgeAdminTarget.Name"/>: the admin API of any node asks the node that holds a session's
/// connection (the session grain knows which) for what only that node knows.
/// </summary>
internal interface IEdgeAdminTarget : IGrainObserver
{
    /// <summary>The connection of <paramref name="sessionKey"/> on this node; null when it has none.</summary>
    Task<ConnectionDetail?> GetConnectionAsync(string sessionKey);
}
