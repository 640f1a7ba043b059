namespace Bifro.Runtime.Management;

/// <summary>Keys of active grains across the cluster, and the silos that did not answer (their grains are missing).</summary>
internal sealed record ActiveGrainKeys(List<string> Keys, List<string> UnreachableSilos);
