namespace Bifro.Runtime;

/// <summary>A grain that receives durable reminders: they survive deactivation and silo restarts.</summary>
public interface IRemindable : IGrain
{
    Task ReceiveReminder(string reminderName, TickStatus status);
}

/// <summary>When a reminder was first due, its period, and the time of this tick.</summary>
[GenerateSerializer]
public readonly record struct TickStatus(
    [property: Id(0)] DateTime FirstTickTime,
    [property: Id(1)] TimeSpan Period,
    [property: Id(2)] DateTime CurrentTickTime);

/// <summary>A registered reminder.</summary>
public interface IGrainReminder
{
    string ReminderName { get; }
}

/// <summary>
/// Reminder registration on grains, as in Orleans. Unlike Orleans, which requires a period of at least
/// a minute, a period of <see cref="Timeout.InfiniteTimeSpan"/> makes a one-shot reminder (session
/// expiry, delayed wills): it fires once, then removes itself.
/// </summary>
public static class GrainReminderExtensions
{
    public static Task<IGrainReminder> RegisterOrUpdateReminder(this IGrainBase grain, string reminderName, TimeSpan dueTime, TimeSpan period)
    {
        if (grain is not IRemindable)
        {
            throw new InvalidOperationException($"{grain.GetType()} must implement IRemindable to register reminders.");
        }

        return Service(grain).RegisterOrUpdateAsync(grain.GrainContext.GrainId, reminderName, dueTime, period);
    }

    public static Task UnregisterReminder(this IGrainBase grain, IGrainReminder reminder) =>
        Service(grain).UnregisterAsync(grain.GrainContext.GrainId, reminder.ReminderName);

    public static Task UnregisterReminder(this IGrainBase grain, string reminderName) =>
        Service(grain).UnregisterAsync(grain.GrainContext.GrainId, reminderName);

    public static Task<IGrainReminder?> GetReminder(this IGrainBase grain, string reminderName) =>
        Service(grain).GetAsync(grain.GrainContext.GrainId, reminderName);

    public static Task<IReadOnlyList<IGrainReminder>> GetReminders(this IGrainBase grain) =>
        Service(grain).GetAllAsync(grain.GrainContext.GrainId);

    private static Timers.ReminderService Service(IGrainBase grain) =>
        (Timers.ReminderService?)grain.GrainContext.ActivationServices.GetService(typeof(Timers.ReminderService))
        ?? throw new InvalidOperationException("No reminder service is configured on this silo.");
}
