using Microsoft.Data.Sqlite;

namespace Bifro.Runtime.Providers.Storage.Sqlite;

/// <summary>
/// Grain collections: one row per item, keyed by (ServiceId, grain type, grain key, collection, item
/// key). A batch of changes is one transaction on the single writer connection.
/// </summary>
internal sealed partial class SqliteGrainStorage
{
    private const string ItemsKey = "service_id = $service AND grain_type = $type AND grain_key = $key AND collection = $collection";

    private const string SelectItemsSql = $"SELECT item_key, payload FROM bifro_grain_items WHERE {ItemsKey} ORDER BY item_key;";

    private const string UpsertItemSql = """
        INSERT INTO bifro_grain_items (service_id, grain_type, grain_key, collection, item_key, payload)
        VALUES ($service, $type, $key, $collection, $item, $payload)
        ON CONFLICT (service_id, grain_type, grain_key, collection, item_key) DO UPDATE SET payload = excluded.payload;
        """;

    private const string DeleteItemSql = $"DELETE FROM bifro_grain_items WHERE {ItemsKey} AND item_key = $item;";

    private const string ClearItemsSql = $"DELETE FROM bifro_grain_items WHERE {ItemsKey};";

    public Task<IReadOnlyList<KeyValuePair<string, byte[]>>> ReadAllAsync(string collectionName, GrainId grainId) =>
        _database.ReadAsync<IReadOnlyList<KeyValuePair<string, byte[]>>>(connection =>
        {
            using var command = ItemsCommand(connection, SelectItemsSql, collectionName, grainId);
            using var reader = command.ExecuteReader();
            var items = new List<KeyValuePair<string, byte[]>>();
            while (reader.Read())
            {
                items.Add(new KeyValuePair<string, byte[]>(reader.GetString(0), (byte[])reader.GetValue(1)));
            }

            return items;
        });

    public Task WriteAsync(string collectionName, GrainId grainId, IReadOnlyList<CollectionChange> changes) =>
        _database.WriteAsync(connection =>
        {
            using var transaction = connection.BeginTransaction();
            using var upsert = ItemsCommand(connection, UpsertItemSql, collectionName, grainId);
            var upsertItem = upsert.Parameters.Add("$item", SqliteType.Text);
            var upsertPayload = upsert.Parameters.Add("$payload", SqliteType.Blob);
            using var delete = ItemsCommand(connection, DeleteItemSql, collectionName, grainId);
            var deleteItem = delete.Parameters.Add("$item", SqliteType.Text);
            upsert.Transaction = transaction;
            delete.Transaction = transaction;
            foreach (var change in changes)
            {
                if (change.Payload is { } payload)
                {
                    upsertItem.Value = change.Key;
                    upsertPayload.Value = payload;
                    upsert.ExecuteNonQuery();
                }
                else
                {
                    deleteItem.Value = change.Key;
                    delete.ExecuteNonQuery();
                }
            }

            transaction.Commit();
            return 0;
        });

    public Task ClearAsync(string collectionName, GrainId grainId) =>
        _database.WriteAsync(connection =>
        {
            using var command = ItemsCommand(connection, ClearItemsSql, collectionName, grainId);
            return command.ExecuteNonQuery();
        });

    private SqliteCommand ItemsCommand(SqliteConnection connection, string sql, string collectionName, GrainId grainId)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Parameters.AddWithValue("$service", _serviceId);
        command.Parameters.AddWithValue("$type", grainId.Type.Value);
        command.Parameters.AddWithValue("$key", grainId.Key);
        command.Parameters.AddWithValue("$collection", collectionName);
        return command;
    }
}
