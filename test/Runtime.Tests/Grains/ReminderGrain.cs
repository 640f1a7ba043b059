namespace Bifro.Runtime.Tests.Grains;

public interface IReminderGrain : IGrainWithStringKey
{
    /// <summary>Registers a reminder; a null period makes it one-shot.</summary>
    Task RegisterAsync(string name, TimeSpan dueTime, TimeSpan? period);

    Task UnregisterAsync(string name);

    Task<int> CountRemindersAsync();
}

/// <summary>Records "reminder:{name}" to the probe of its key on every tick.</summary>
public sealed class ReminderGrain : Grain, IReminderGrain, IRemindable
{
    private readonly Probe _probe;

    public ReminderGrain() => _probe = Probe.For(this.GetPrimaryKeyString());

    public Task RegisterAsync(string name, TimeSpan dueTime, TimeSpan? period) =>
        this.RegisterOrUpdateReminder(name, dueTime, period ?? Timeout.InfiniteTimeSpan);

    public Task UnregisterAsync(string name) => this.UnregisterReminder(name);

    public async Task<int> CountRemindersAsync() => (await this.GetReminders()).Count;

    public Task ReceiveReminder(string reminderName, TickStatus status)
    {
        _probe.Record($"reminder:{reminderName}");
        return Task.CompletedTask;
    }
}
