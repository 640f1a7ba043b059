namespace Bifro.Silo.Admin;

/// <summary>Sessions with an activation somewhere in the cluster (every connected one), in key order.</summary>
/// <param name="Sessions">At most the limit asked for.</param>
/// <param name="Truncated">Whether there were more than the limit.</param>
/// <param name="UnreachableSilos">Silos that did not answer: their sessions are missing from the list.</param>
internal sealed record SessionList(List<SessionSummary> Sessions, bool Truncated, List<string> UnreachableSilos);
