namespace Bifro.Runtime;

/// <summary>
/// Membership storage (Orleans' IMembershipTable). Every change is a compare-and-swap on the table
/// version, so that concurrent silos never overwrite each other's changes.
/// </summary>
public interface IMembershipTable
{
    Task InitializeMembershipTable(bool tryInitTableVersion);

    Task DeleteMembershipTableEntries(string clusterId);

    Task CleanupDefunctSiloEntries(DateTimeOffset beforeDate);

    Task<MembershipTableData> ReadRow(SiloAddress key);

    Task<MembershipTableData> ReadAll();

    /// <summary>Inserts the row if the table is still at <paramref name="tableVersion"/>'s predecessor; false otherwise.</summary>
    Task<bool> InsertRow(MembershipEntry entry, TableVersion tableVersion);

    /// <summary>Updates the row if the table is still at <paramref name="tableVersion"/>'s predecessor; false otherwise.</summary>
    Task<bool> UpdateRow(MembershipEntry entry, string etag, TableVersion tableVersion);

    /// <summary>Writes only IAmAliveTime; the version is not bumped.</summary>
    Task UpdateIAmAlive(MembershipEntry entry);
}
