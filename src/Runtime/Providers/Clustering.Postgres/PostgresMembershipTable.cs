using System.Globalization;
using System.Net;
using Bifro.Configuration;
using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;

namespace Bifro.Runtime.Providers.Clustering.Postgres;

/// <summary>
/// Orleans' ADO.NET membership table on PostgreSQL. Like Orleans, it loads its queries by key from
/// OrleansQuery at start, and binds parameters by name, so the SQL lives with the schema
/// (deploy/postgresql/02-orleans-clustering.sql). DeploymentId is the ClusterId: clusters sharing a
/// database never see each other's rows.
/// </summary>
internal sealed class PostgresMembershipTable : IMembershipTable, IDisposable
{
    private readonly string _clusterId;
    private readonly NpgsqlDataSource _dataSource;
    private Dictionary<string, string>? _queries;

    public PostgresMembershipTable(IOptions<PostgresClusteringOptions> options, IOptions<ClusterOptions> cluster)
    {
        _clusterId = cluster.Value.ClusterId;
        _dataSource = NpgsqlDataSource.Create(options.Value.ConnectionString
            ?? throw new InvalidOperationException("Bifro:Cluster:Postgres:ConnectionString is required."));
    }

    public async Task InitializeMembershipTable(bool tryInitTableVersion)
    {
        _queries = await LoadQueriesAsync().ConfigureAwait(false);
        if (tryInitTableVersion)
        {
            await using var command = Command("InsertMembershipVersionKey");
            command.Parameters.AddWithValue("DeploymentId", _clusterId);
            await command.ExecuteNonQueryAsync().ConfigureAwait(false);
        }
    }

    public async Task DeleteMembershipTableEntries(string clusterId)
    {
        await using var command = Command("DeleteMembershipTableEntriesKey");
        command.Parameters.AddWithValue("DeploymentId", clusterId);
        await command.ExecuteNonQueryAsync().ConfigureAwait(false);
    }

    public async Task CleanupDefunctSiloEntries(DateTimeOffset beforeDate)
    {
        await using var command = Command("CleanupDefunctSiloEntriesKey");
        command.Parameters.AddWithValue("DeploymentId", _clusterId);
        command.Parameters.AddWithValue("IAmAliveTime", beforeDate.UtcDateTime);
        await command.ExecuteNonQueryAsync().ConfigureAwait(false);
    }

    public async Task<MembershipTableData> ReadRow(SiloAddress key)
    {
        await using var command = Command("MembershipReadRowKey");
        command.Parameters.AddWithValue("DeploymentId", _clusterId);
        command.Parameters.AddWithValue("Address", key.Endpoint.Address.ToString());
        command.Parameters.AddWithValue("Port", key.Endpoint.Port);
        command.Parameters.AddWithValue("Generation", key.Generation);
        return await ReadTableAsync(command).ConfigureAwait(false);
    }

    public async Task<MembershipTableData> ReadAll()
    {
        await using var command = Command("MembershipReadAllKey");
        command.Parameters.AddWithValue("DeploymentId", _clusterId);
        return await ReadTableAsync(command).ConfigureAwait(false);
    }

    public async Task<bool> InsertRow(MembershipEntry entry, TableVersion tableVersion)
    {
        await using var command = Command("InsertMembershipKey");
        AddKey(command, entry.SiloAddress);
        command.Parameters.AddWithValue("SiloName", entry.SiloName);
        command.Parameters.AddWithValue("HostName", entry.HostName);
        command.Parameters.AddWithValue("Status", (int)entry.Status);
        command.Parameters.AddWithValue("ProxyPort", entry.ProxyPort);
        command.Parameters.AddWithValue("StartTime", ToUtc(entry.StartTime));
        command.Parameters.AddWithValue("IAmAliveTime", ToUtc(entry.IAmAliveTime));
        command.Parameters.AddWithValue("Version", tableVersion.Version);
        return await RowCountAsync(command).ConfigureAwait(false) > 0;
    }

    public async Task<bool> UpdateRow(MembershipEntry entry, string etag, TableVersion tableVersion)
    {
        await using var command = Command("UpdateMembershipKey");
        AddKey(command, entry.SiloAddress);
        command.Parameters.AddWithValue("Status", (int)entry.Status);
        command.Parameters.Add(new NpgsqlParameter("SuspectTimes", NpgsqlDbType.Varchar) { Value = (object?)entry.FormatSuspectTimes() ?? DBNull.Value });
        command.Parameters.AddWithValue("IAmAliveTime", ToUtc(entry.IAmAliveTime));
        command.Parameters.AddWithValue("Version", tableVersion.Version);
        return await RowCountAsync(command).ConfigureAwait(false) > 0;
    }

    public async Task UpdateIAmAlive(MembershipEntry entry)
    {
        await using var command = Command("UpdateIAmAlivetimeKey");
        AddKey(command, entry.SiloAddress);
        command.Parameters.AddWithValue("IAmAliveTime", ToUtc(entry.IAmAliveTime));
        await command.ExecuteNonQueryAsync().ConfigureAwait(false);
    }

    /// <summary>Active silos that take clients: their gateway endpoints (Orleans' GatewaysQueryKey).</summary>
    public async Task<IReadOnlyList<IPEndPoint>> GetGatewaysAsync()
    {
        _queries ??= await LoadQueriesAsync().ConfigureAwait(false);
        await using var command = Command("GatewaysQueryKey");
        command.Parameters.AddWithValue("DeploymentId", _clusterId);
        command.Parameters.AddWithValue("Status", (int)SiloStatus.Active);
        await using var reader = await command.ExecuteReaderAsync().ConfigureAwait(false);
        var gateways = new List<IPEndPoint>();
        while (await reader.ReadAsync().ConfigureAwait(false))
        {
            gateways.Add(new IPEndPoint(IPAddress.Parse(reader.GetString(0)), reader.GetInt32(1)));
        }

        return gateways;
    }

    public void Dispose() => _dataSource.Dispose();

    private async Task<Dictionary<string, string>> LoadQueriesAsync()
    {
        await using var command = _dataSource.CreateCommand("SELECT QueryKey, QueryText FROM OrleansQuery");
        await using var reader = await command.ExecuteReaderAsync().ConfigureAwait(false);
        var queries = new Dictionary<string, string>(StringComparer.Ordinal);
        while (await reader.ReadAsync().ConfigureAwait(false))
        {
            queries[reader.GetString(0)] = reader.GetString(1);
        }

        return queries;
    }

    private NpgsqlCommand Command(string key)
    {
        var queries = _queries ?? throw new InvalidOperationException("The membership table is not initialized.");
        if (!queries.TryGetValue(key, out var sql))
        {
            throw new InvalidOperationException($"OrleansQuery has no '{key}': apply the schema with `bifro migrate`.");
        }

        return _dataSource.CreateCommand(sql);
    }

    private void AddKey(NpgsqlCommand command, SiloAddress address)
    {
        command.Parameters.AddWithValue("DeploymentId", _clusterId);
        command.Parameters.AddWithValue("Address", address.Endpoint.Address.ToString());
        command.Parameters.AddWithValue("Port", address.Endpoint.Port);
        command.Parameters.AddWithValue("Generation", address.Generation);
    }

    private static async Task<int> RowCountAsync(NpgsqlCommand command) =>
        Convert.ToInt32(await command.ExecuteScalarAsync().ConfigureAwait(false) ?? 0, CultureInfo.InvariantCulture);

    private static async Task<MembershipTableData> ReadTableAsync(NpgsqlCommand command)
    {
        await using var reader = await command.ExecuteReaderAsync().ConfigureAwait(false);
        var members = new List<(MembershipEntry, string)>();
        var version = 0;
        while (await reader.ReadAsync().ConfigureAwait(false))
        {
            version = reader.GetInt32(11);
            if (reader.IsDBNull(1))
            {
                continue;
            }

            var address = new SiloAddress(new IPEndPoint(IPAddress.Parse(reader.GetString(1)), reader.GetInt32(2)), reader.GetInt32(3));
            var entry = new MembershipEntry
            {
                SiloAddress = address,
                SiloName = reader.GetString(4),
                HostName = reader.GetString(5),
                Status = (SiloStatus)reader.GetInt32(6),
                ProxyPort = reader.IsDBNull(7) ? 0 : reader.GetInt32(7),
                SuspectTimes = MembershipEntry.ParseSuspectTimes(reader.IsDBNull(8) ? null : reader.GetString(8)),
                StartTime = DateTime.SpecifyKind(reader.GetDateTime(9), DateTimeKind.Utc),
                IAmAliveTime = DateTime.SpecifyKind(reader.GetDateTime(10), DateTimeKind.Utc),
            };

            // Orleans' rows carry no etag of their own: the table version is the compare-and-swap.
            members.Add((entry, version.ToString(CultureInfo.InvariantCulture)));
        }

        return new MembershipTableData(members, new TableVersion(version, version.ToString(CultureInfo.InvariantCulture)));
    }

    private static DateTime ToUtc(DateTime time) => time.Kind == DateTimeKind.Utc ? time : DateTime.SpecifyKind(time.ToUniversalTime(), DateTimeKind.Utc);
}
