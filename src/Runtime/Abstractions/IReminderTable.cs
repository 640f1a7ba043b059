namespace Bifro.Runtime;

/// <summary>One stored reminder.</summary>
public sealed record ReminderEntry(GrainId GrainId, string ReminderName, DateTime StartAt, TimeSpan Period, string ETag);

/// <summary>Durable reminder storage (Orleans' IReminderTable), keyed by the silo's ServiceId.</summary>
public interface IReminderTable
{
    Task InitAsync(CancellationToken cancellationToken);

    Task<IReadOnlyList<ReminderEntry>> ReadAllAsync(CancellationToken cancellationToken);

    Task<IReadOnlyList<ReminderEntry>> ReadRowsAsync(GrainId grainId);

    Task<ReminderEntry?> ReadRowAsync(GrainId grainId, string reminderName);

    /// <summary>Inserts or replaces; returns the new etag.</summary>
    Task<string> UpsertRowAsync(GrainId grainId, string reminderName, DateTime startAt, TimeSpan period);

    /// <summary>Removes the row if its etag still matches; false if it changed or is gone.</summary>
    Task<bool> RemoveRowAsync(GrainId grainId, string reminderName, string eTag);
}
