using System.Collections.Concurrent;
using System.Globalization;

namespace Bifro.Runtime.Timers;

/// <summary>Reminders in memory, for tests and development: they do not survive the process.</summary>
internal sealed class MemoryReminderTable : IReminderTable
{
    private readonly ConcurrentDictionary<(GrainId, string), ReminderEntry> _rows = new();
    private long _version;

    public Task InitAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task<IReadOnlyList<ReminderEntry>> ReadAllAsync(CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<ReminderEntry>>(_rows.Values.ToList());

    public Task<IReadOnlyList<ReminderEntry>> ReadRowsAsync(GrainId grainId) =>
        Task.FromResult<IReadOnlyList<ReminderEntry>>(_rows.Values.Where(r => r.GrainId == grainId).ToList());

    public Task<ReminderEntry?> ReadRowAsync(GrainId grainId, string reminderName) =>
        Task.FromResult(_rows.GetValueOrDefault((grainId, reminderName)));

    public Task<string> UpsertRowAsync(GrainId grainId, string reminderName, DateTime startAt, TimeSpan period)
    {
        var etag = Interlocked.Increment(ref _version).ToString(CultureInfo.InvariantCulture);
        _rows[(grainId, reminderName)] = new ReminderEntry(grainId, reminderName, startAt, period, etag);
        return Task.FromResult(etag);
    }

    public Task<bool> RemoveRowAsync(GrainId grainId, string reminderName, string eTag)
    {
        var key = (grainId, reminderName);
        return Task.FromResult(_rows.TryGetValue(key, out var row) && row.ETag == eTag
            && _rows.TryRemove(new KeyValuePair<(GrainId, string), ReminderEntry>(key, row)));
    }
}
