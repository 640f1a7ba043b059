using Bifro.Configuration;
using Bifro.Hosting;
using Bifro.Runtime.Providers.Storage.Sqlite;
using Bifro.Runtime.Tests.Grains;
using Bifro.Runtime.Tests.Storage;
using Bifro.TestKit;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Xunit;

namespace Bifro.Runtime.Tests.Providers.Storage.Sqlite;

public sealed class SqliteGrainStorageTests : GrainStorageTests, IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "bifro-tests", Guid.NewGuid().ToString("N"));

    private string DataSource => Path.Combine(_directory, "data", "node.db");

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    protected override void AddStorage(ISiloBuilder silo) => silo.AddSqliteGrainStorageAsDefault(o => o.DataSource = DataSource);

    [Fact(Timeout = 30_000)]
    public async Task Start_MissingDirectory_CreatesTheDatabaseWithWalAndSchema()
    {
        await using var silo = await StartAsync();

        Assert.True(File.Exists(DataSource));
        using var connection = new SqliteConnection($"Data Source={DataSource}");
        connection.Open();
        Assert.Equal("wal", Scalar(connection, "PRAGMA journal_mode;"));
        Assert.Equal(
            ["service_id", "grain_type", "grain_key", "state_name", "etag", "payload", "modified_at_ms"],
            Column(connection, "SELECT name FROM pragma_table_info('bifro_grain_state');"));
    }

    [Fact(Timeout = 30_000)]
    public async Task WriteState_Row_IsKeyedByServiceTypeKeyAndStateName()
    {
        await using var silo = await StartAsync(s => s.Configure<ClusterOptions>(o => o.ServiceId = "svc"));
        var id = GrainId.Create("lifecycle", "tenant/client");
        var state = new TestGrainState<CounterState>(new CounterState { Value = 3 });

        await Storage(silo).WriteStateAsync("st", id, state);

        using var connection = new SqliteConnection($"Data Source={DataSource}");
        connection.Open();
        Assert.Equal(
            ["svc|lifecycle|tenant/client|st|1"],
            Column(connection, "SELECT service_id || '|' || grain_type || '|' || grain_key || '|' || state_name || '|' || etag FROM bifro_grain_state;"));
    }

    [Fact(Timeout = 30_000)]
    public async Task ReadState_SiloRestartedOnTheSameFile_StateIsStillThere()
    {
        var key = Probe.NewKey();
        await using (var first = await StartAsync())
        {
            await first.GrainFactory.GetGrain<ILifecycleGrain>(key).SetAsync(31);
        }

        await using var second = await StartAsync();

        Assert.Equal(31, await second.GrainFactory.GetGrain<ILifecycleGrain>(key).GetAsync());
    }

    [Fact(Timeout = 30_000)]
    public async Task ReadState_TwoServiceIdsOnOneFile_DoNotSeeEachOthersState()
    {
        await using var a = await StartAsync(s => s.Configure<ClusterOptions>(o => o.ServiceId = "service-a"));
        await using var b = await StartAsync(s => s.Configure<ClusterOptions>(o => o.ServiceId = "service-b"));
        var key = Probe.NewKey();
        var id = GrainId.Create("lifecycle", key);

        await a.GrainFactory.GetGrain<ILifecycleGrain>(key).SetAsync(1);
        Assert.Equal(0, await b.GrainFactory.GetGrain<ILifecycleGrain>(key).GetAsync());
        await b.GrainFactory.GetGrain<ILifecycleGrain>(key).SetAsync(2);

        Assert.Equal(1, await ReadValueAsync(Storage(a), "lifecycle", id));
        Assert.Equal(2, await ReadValueAsync(Storage(b), "lifecycle", id));
    }

    [Fact(Timeout = 60_000)]
    public async Task WriteState_ManyGrainsInTwoSilosOnOneFile_AllWritesSucceed()
    {
        // Two silos are two writers on one file (plus their readers): contention that SQLite resolves
        // with its busy timeout, never with SQLITE_BUSY errors.
        await using var a = await StartAsync(s => s.Configure<ClusterOptions>(o => o.ServiceId = "busy-a"));
        await using var b = await StartAsync(s => s.Configure<ClusterOptions>(o => o.ServiceId = "busy-b"));
        var keys = Enumerable.Range(0, 100).Select(_ => Probe.NewKey()).ToArray();

        await Task.WhenAll(keys.SelectMany(key => new[] { WriteManyAsync(a, key), WriteManyAsync(b, key) }));

        foreach (var key in keys)
        {
            Assert.Equal(5, await ReadValueAsync(Storage(a), "lifecycle", GrainId.Create("lifecycle", key)));
            Assert.Equal(5, await ReadValueAsync(Storage(b), "lifecycle", GrainId.Create("lifecycle", key)));
        }

        static async Task WriteManyAsync(TestSilo silo, string key)
        {
            var grain = silo.GrainFactory.GetGrain<ILifecycleGrain>(key);
            for (var i = 1; i <= 5; i++)
            {
                await grain.SetAsync(i);
            }
        }
    }

    [Fact(Timeout = 30_000)]
    public async Task StorageAndReminders_OneFile_BothWork()
    {
        await using var silo = await StartAsync(s => s.UseSqliteReminderService(o => o.DataSource = DataSource));
        var key = Probe.NewKey();

        await silo.GrainFactory.GetGrain<ILifecycleGrain>(key).SetAsync(8);
        await silo.GrainFactory.GetGrain<IReminderGrain>(key).RegisterAsync("r", TimeSpan.Zero, period: null);

        await Probe.For(key).WaitForAsync("reminder:r");
        Assert.Equal(8, await ReadValueAsync(Storage(silo), "lifecycle", GrainId.Create("lifecycle", key)));
        using var connection = new SqliteConnection($"Data Source={DataSource}");
        connection.Open();
        Assert.Equal(
            ["bifro_grain_items", "bifro_grain_state", "bifro_reminders"],
            Column(connection, "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name;"));
    }

    [Fact(Timeout = 30_000)]
    public async Task Start_NoDataSource_FailsNamingTheKey()
    {
        var exception = await Record.ExceptionAsync(() => TestSilo.StartAsync(s => s.AddSqliteGrainStorage("orders", (SqliteStorageOptions _) => { })));

        var validation = Assert.IsType<OptionsValidationException>(exception);
        Assert.Contains("Bifro:Storage:orders:DataSource", validation.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_InMemoryDatabaseOrBadBusyTimeout_FailsNamingTheKeys()
    {
        var result = new SqliteStorageOptionsValidator().Validate(
            SqliteReminderTable.OptionsName, new SqliteStorageOptions { DataSource = ":memory:", BusyTimeout = TimeSpan.Zero });

        Assert.True(result.Failed);
        Assert.Contains("Bifro:Reminders:Sqlite:DataSource", result.FailureMessage, StringComparison.Ordinal);
        Assert.Contains("Bifro:Reminders:Sqlite:BusyTimeout", result.FailureMessage, StringComparison.Ordinal);
    }

    private static string? Scalar(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar()?.ToString();
    }

    private static List<string> Column(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var values = new List<string>();
        while (reader.Read())
        {
            values.Add(reader.GetString(0));
        }

        return values;
    }
}
