using Bifro.Hosting;
using Bifro.Runtime.Tests.Grains;
using Bifro.Runtime.Timers;
using Bifro.TestKit;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Bifro.Runtime.Tests.Timers;

public sealed class ReminderTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "bifro-tests", Guid.NewGuid().ToString("N"));

    public static TheoryData<string> Tables => new() { "memory", "sqlite" };

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    [Theory(Timeout = 30_000)]
    [MemberData(nameof(Tables))]
    public async Task PeriodicReminder_Registered_TicksRepeatedly(string table)
    {
        await using var silo = await StartAsync(table);
        var key = Probe.NewKey();
        var grain = silo.GrainFactory.GetGrain<IReminderGrain>(key);

        await grain.RegisterAsync("periodic", TimeSpan.Zero, TimeSpan.FromMilliseconds(100));
        await Probe.For(key).WaitForAsync("reminder:periodic", 3);
        await grain.UnregisterAsync("periodic");

        Assert.Equal(0, await grain.CountRemindersAsync());
    }

    [Theory(Timeout = 30_000)]
    [MemberData(nameof(Tables))]
    public async Task OneShotReminder_Fires_OnceAndIsRemoved(string table)
    {
        await using var silo = await StartAsync(table);
        var key = Probe.NewKey();
        var grain = silo.GrainFactory.GetGrain<IReminderGrain>(key);
        var service = silo.Services.GetRequiredService<ReminderService>();
        var reminderTable = silo.Services.GetRequiredService<IReminderTable>();

        await grain.RegisterAsync("once", TimeSpan.FromMilliseconds(50), period: null);
        await Probe.For(key).WaitForAsync("reminder:once");

        // Removed from the table and from the schedule: nothing can fire it again.
        await Eventually.TrueAsync(async () => await reminderTable.ReadRowAsync(GrainId.Create("reminder", key), "once") is null);
        Assert.Equal(0, service.Count);
        Assert.Equal(1, Probe.For(key).Count("reminder:once"));
    }

    [Fact(Timeout = 30_000)]
    public async Task SqliteReminder_SiloStoppedBeforeItIsDue_FiresInTheNextSiloOnTheSameFile()
    {
        var key = Probe.NewKey();
        var first = await StartAsync("sqlite");
        await first.GrainFactory.GetGrain<IReminderGrain>(key).RegisterAsync("restart", TimeSpan.FromSeconds(1), period: null);
        await first.DisposeAsync();
        Assert.Equal(0, Probe.For(key).Count("reminder:restart"));

        await using var second = await StartAsync("sqlite");

        await Probe.For(key).WaitForAsync("reminder:restart");
    }

    [Fact(Timeout = 30_000)]
    public async Task Reminder_UnregisteredBeforeItIsDue_NeverFires()
    {
        await using var silo = await StartAsync("memory");
        var key = Probe.NewKey();
        var grain = silo.GrainFactory.GetGrain<IReminderGrain>(key);
        await grain.RegisterAsync("cancelled", TimeSpan.FromSeconds(1), period: null);
        await grain.RegisterAsync("witness", TimeSpan.FromSeconds(1.2), period: null);

        await grain.UnregisterAsync("cancelled");

        await Probe.For(key).WaitForAsync("reminder:witness");
        Assert.Equal(0, Probe.For(key).Count("reminder:cancelled"));
    }

    private Task<TestSilo> StartAsync(string table) => TestSilo.StartAsync(silo =>
    {
        if (table == "sqlite")
        {
            silo.UseSqliteReminderService(o => o.DataSource = Path.Combine(_directory, "node.db"));
        }
    });
}
