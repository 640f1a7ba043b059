namespace Bifro.Runtime;

/// <summary>A silo's state in the membership table; the integers are Orleans' (stored in OrleansMembershipTable.Status).</summary>
public enum SiloStatus
{
    None = 0,
    Created = 1,
    Joining = 2,
    Active = 3,
    ShuttingDown = 4,
    Stopping = 5,
    Dead = 6,
}

public static class SiloStatusExtensions
{
    /// <summary>Terminal: a dead silo never comes back; it restarts as a new silo with a new generation.</summary>
    public static bool IsTerminating(this SiloStatus status) => status is SiloStatus.ShuttingDown or SiloStatus.Stopping or SiloStatus.Dead;
}
