using System.Collections.Concurrent;
using Bifro.TestKit;

namespace Bifro.Runtime.Tests.Grains;

/// <summary>
/// What test grains report to the test that drives them: events in order, objects they received, and
/// gates they wait on. One probe per key; tests use fresh keys, so tests running in parallel never share one.
/// </summary>
public sealed class Probe
{
    private static readonly ConcurrentDictionary<string, Probe> s_probes = new(StringComparer.Ordinal);

    private readonly object _lock = new();
    private readonly List<string> _events = new();
    private readonly List<object?> _objects = new();
    private readonly ConcurrentDictionary<string, TaskCompletionSource> _gates = new(StringComparer.Ordinal);

    public static Probe For(string key) => s_probes.GetOrAdd(key, static _ => new Probe());

    /// <summary>A key no other test uses.</summary>
    public static string NewKey(string prefix = "k") => $"{prefix}-{Guid.NewGuid():N}";

    /// <summary>Settings a test leaves for its grains (e.g. whether to resume subscriptions).</summary>
    public ConcurrentDictionary<string, object> Settings { get; } = new(StringComparer.Ordinal);

    public IReadOnlyList<string> Events
    {
        get
        {
            lock (_lock)
            {
                return _events.ToArray();
            }
        }
    }

    public IReadOnlyList<object?> Objects
    {
        get
        {
            lock (_lock)
            {
                return _objects.ToArray();
            }
        }
    }

    public void Record(string name)
    {
        lock (_lock)
        {
            _events.Add(name);
        }
    }

    public void Keep(object? value)
    {
        lock (_lock)
        {
            _objects.Add(value);
        }
    }

    public int Count(string name)
    {
        lock (_lock)
        {
            return _events.Count(e => e == name);
        }
    }

    public int CountPrefix(string prefix)
    {
        lock (_lock)
        {
            return _events.Count(e => e.StartsWith(prefix, StringComparison.Ordinal));
        }
    }

    public IReadOnlyList<string> WithPrefix(string prefix)
    {
        lock (_lock)
        {
            return _events.Where(e => e.StartsWith(prefix, StringComparison.Ordinal)).ToArray();
        }
    }

    public Task WaitForAsync(string name, int count = 1, TimeSpan? timeout = null) =>
        Eventually.TrueAsync(() => Count(name) >= count, timeout, $"'{name}' seen {count} times (seen {Count(name)}: {string.Join(", ", Events.TakeLast(10))})");

    public Task WaitForPrefixAsync(string prefix, int count = 1, TimeSpan? timeout = null) =>
        Eventually.TrueAsync(() => CountPrefix(prefix) >= count, timeout, $"'{prefix}*' seen {count} times (seen {CountPrefix(prefix)})");

    /// <summary>A gate grains await and tests open (or the other way round).</summary>
    public TaskCompletionSource Gate(string name) =>
        _gates.GetOrAdd(name, static _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));

    public void Open(string name) => Gate(name).TrySetResult();

    /// <summary>Opens every gate, so no grain stays blocked when its silo stops.</summary>
    public void OpenAll()
    {
        foreach (var gate in _gates.Values)
        {
            gate.TrySetResult();
        }
    }
}
