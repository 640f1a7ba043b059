namespace Bifro.Runtime.Management;

/// <summary>
/// A per-silo service that answers questions about this silo's activations (Orleans' ISiloControl system
/// target). Every silo registers it under the well-known name <see cref="SiloControl.Name"/>, so any node
/// addresses it by the silo's identity alone, as <see cref="ManagementClient"/> does when it fans out.
/// </summary>
internal interface ISiloControl : IGrainObserver
{
    /// <summary>
    /// The keys of this silo's activations of <paramref name="grainType"/> whose key starts with
    /// <paramref name="keyPrefix"/>, in key order, at most <paramref name="limit"/>.
    /// </summary>
    Task<string[]> GetActiveGrainKeysAsync(string grainType, string keyPrefix, int limit);
}
