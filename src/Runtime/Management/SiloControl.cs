using Bifro.Runtime.Activation;

namespace Bifro.Runtime.Management;

/// <summary>This silo's <see cref="ISiloControl"/>: reads the catalog, which holds every activation here.</summary>
internal sealed class SiloControl(Catalog catalog) : ISiloControl
{
    public const string Name = "silo-control";

    public Task<string[]> GetActiveGrainKeysAsync(string grainType, string keyPrefix, int limit)
    {
        var keys = new List<string>();
        foreach (var id in catalog.GetActivationIds(GrainType.Create(grainType)))
        {
            if (id.Key.StartsWith(keyPrefix, StringComparison.Ordinal))
            {
                keys.Add(id.Key);
            }
        }

        // Sorted before the cut, so that a limit keeps the same first keys from one call to the next.
        keys.Sort(StringComparer.Ordinal);
        if (keys.Count > limit)
        {
            keys.RemoveRange(limit, keys.Count - limit);
        }

        return Task.FromResult(keys.ToArray());
    }
}
