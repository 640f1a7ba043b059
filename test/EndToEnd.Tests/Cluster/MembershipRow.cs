using Npgsql;

namespace Bifro.EndToEnd.Tests.Cluster;

/// <summary>A row of OrleansMembershipTable: which cluster (DeploymentId) lists which silo, in which state.</summary>
public sealed record MembershipRow(string DeploymentId, string Address, int Port, int Generation, string SiloName, int Status)
{
    /// <summary>Orleans' SiloStatus.Active.</summary>
    public const int Active = 3;

    /// <summary>Orleans' SiloStatus.Dead.</summary>
    public const int Dead = 6;

    /// <summary>Every row of the membership table, whatever the cluster.</summary>
    public static async Task<IReadOnlyList<MembershipRow>> ReadAllAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT deploymentid, address, port, generation, siloname, status FROM orleansmembershiptable ORDER BY deploymentid, port", connection);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<MembershipRow>();
        while (await reader.ReadAsync())
        {
            rows.Add(new MembershipRow(reader.GetString(0), reader.GetString(1), reader.GetInt32(2), reader.GetInt32(3), reader.GetString(4), reader.GetInt32(5)));
        }

        return rows;
    }

    /// <summary>
    /// Writes, by hand, an Active row for a silo at 127.0.0.1:<paramref name="port"/> into cluster
    /// <paramref name="deploymentId"/>'s table: the silos of that cluster then connect to that port.
    /// </summary>
    public static async Task InsertActiveAsync(string connectionString, string deploymentId, int port, string siloName)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            """
            INSERT INTO orleansmembershipversiontable (deploymentid, timestamp, version) VALUES (@cluster, now(), 1)
                ON CONFLICT (deploymentid) DO UPDATE SET version = orleansmembershipversiontable.version + 1, timestamp = now();
            INSERT INTO orleansmembershiptable (deploymentid, address, port, generation, siloname, hostname, status, proxyport, suspecttimes, starttime, iamalivetime)
                VALUES (@cluster, '127.0.0.1', @port, 1, @name, 'by-hand', 3, 0, NULL, now(), now());
            """,
            connection);
        command.Parameters.AddWithValue("cluster", deploymentId);
        command.Parameters.AddWithValue("port", port);
        command.Parameters.AddWithValue("name", siloName);
        await command.ExecuteNonQueryAsync();
    }
}
