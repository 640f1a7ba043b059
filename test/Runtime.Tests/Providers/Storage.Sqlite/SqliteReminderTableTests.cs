using Bifro.Configuration;
using Bifro.Runtime.Providers.Storage.Sqlite;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;
using Xunit;

namespace Bifro.Runtime.Tests.Providers.Storage.Sqlite;

public sealed class SqliteReminderTableTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "bifro-tests", Guid.NewGuid().ToString("N"));
    private readonly List<SqliteReminderTable> _tables = new();

    public void Dispose()
    {
        foreach (var table in _tables)
        {
            table.Dispose();
        }

        SqliteConnection.ClearAllPools();
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    [Fact(Timeout = 30_000)]
    public async Task UpsertRow_ThenRead_ReturnsTheRowWithTimesAndPeriod()
    {
        var table = await CreateAsync("svc");
        var id = GrainId.Create("session", "t/c");
        var startAt = new DateTime(2030, 1, 2, 3, 4, 5, 678, DateTimeKind.Utc);

        var etag = await table.UpsertRowAsync(id, "expiry", startAt, Timeout.InfiniteTimeSpan);
        await table.UpsertRowAsync(id, "tick", startAt, TimeSpan.FromMinutes(1));

        var row = await table.ReadRowAsync(id, "expiry");
        Assert.Equal(new ReminderEntry(id, "expiry", startAt, Timeout.InfiniteTimeSpan, etag), row);
        Assert.Equal(startAt.Kind, row!.StartAt.Kind);
        Assert.Equal(["expiry", "tick"], (await table.ReadRowsAsync(id)).Select(r => r.ReminderName).Order());
        Assert.Equal(TimeSpan.FromMinutes(1), (await table.ReadRowAsync(id, "tick"))!.Period);
    }

    [Fact(Timeout = 30_000)]
    public async Task UpsertRow_Again_ChangesTheEtagAndStaleRemoveFails()
    {
        var table = await CreateAsync("svc");
        var id = GrainId.Create("session", "x");
        var first = await table.UpsertRowAsync(id, "r", DateTime.UtcNow, TimeSpan.FromSeconds(5));
        var second = await table.UpsertRowAsync(id, "r", DateTime.UtcNow, TimeSpan.FromSeconds(6));

        Assert.NotEqual(first, second);
        Assert.False(await table.RemoveRowAsync(id, "r", first));
        Assert.True(await table.RemoveRowAsync(id, "r", second));
        Assert.Null(await table.ReadRowAsync(id, "r"));
        Assert.False(await table.RemoveRowAsync(id, "r", second));
    }

    [Fact(Timeout = 30_000)]
    public async Task ReadAll_TwoServiceIdsOnOneFile_SeeOnlyTheirOwnRows()
    {
        var a = await CreateAsync("a");
        var b = await CreateAsync("b");
        var id = GrainId.Create("session", "x");

        await a.UpsertRowAsync(id, "only-a", DateTime.UtcNow, TimeSpan.FromSeconds(1));

        Assert.Single(await a.ReadAllAsync(CancellationToken.None));
        Assert.Empty(await b.ReadAllAsync(CancellationToken.None));
        Assert.Null(await b.ReadRowAsync(id, "only-a"));
    }

    private async Task<SqliteReminderTable> CreateAsync(string serviceId)
    {
        var table = new SqliteReminderTable(
            new SqliteStorageOptions { DataSource = Path.Combine(_directory, "node.db") },
            Options.Create(new ClusterOptions { ServiceId = serviceId }));
        _tables.Add(table);
        await table.InitAsync(CancellationToken.None);
        return table;
    }
}
