using Bifro.Runtime.Activation;

namespace Bifro.Runtime.Tests.Grains;

/// <summary>Operations that measure what runs at once inside one activation.</summary>
public interface ITurnOperations : IGrainWithStringKey
{
    /// <summary>Runs a request that awaits several times; returns how many requests were inside at its start.</summary>
    Task<int> WorkAsync(int yields);

    /// <summary>Waits until the probe's gate <paramref name="gate"/> opens.</summary>
    Task WaitAsync(string gate);

    /// <summary>Opens a gate from a normal request.</summary>
    Task OpenAsync(string gate);

    /// <summary>Opens a gate even while another request is in progress.</summary>
    [AlwaysInterleave]
    Task OpenInterleavedAsync(string gate);

    /// <summary>A read-only request that waits for a gate.</summary>
    [ReadOnly]
    Task ReadAndWaitAsync(string gate);

    /// <summary>A read-only request that opens a gate.</summary>
    [ReadOnly]
    Task ReadAndOpenAsync(string gate);

    /// <summary>A write: returns how many read-only requests were inside when it started.</summary>
    Task<int> WriteAsync();

    /// <summary>The most requests ever inside at once, and the most threads ever inside grain code at once.</summary>
    Task<(int Requests, int Threads)> GetMaximaAsync();

    /// <summary>Whether every piece of grain code so far ran on the activation's scheduler.</summary>
    Task<bool> AlwaysOnActivationSchedulerAsync();
}

/// <summary>A grain with the default turn rules: one request at a time.</summary>
public interface ITurnGrain : ITurnOperations
{
}

/// <summary>The same operations on a [Reentrant] grain.</summary>
public interface IReentrantTurnGrain : ITurnOperations
{
}

public sealed class TurnGrain : TurnGrainBase, ITurnGrain
{
}

[Reentrant]
public sealed class ReentrantTurnGrain : TurnGrainBase, IReentrantTurnGrain
{
}

/// <summary>Measures what runs at once inside one activation.</summary>
public abstract class TurnGrainBase : Grain
{
    private readonly Probe _probe;
    private int _requestsInside;
    private int _maxRequests;
    private int _threadsInside;
    private int _maxThreads;
    private int _readersInside;
    private bool _offScheduler;

    protected TurnGrainBase() => _probe = Probe.For(this.GetPrimaryKeyString());

    public async Task<int> WorkAsync(int yields)
    {
        var before = Enter();
        try
        {
            for (var i = 0; i < yields; i++)
            {
                Section();
                await Task.Yield();
                Section();
                await Task.Delay(1);
            }

            return before;
        }
        finally
        {
            _requestsInside--;
        }
    }

    public async Task WaitAsync(string gate)
    {
        Enter();
        try
        {
            _probe.Record($"waiting:{gate}");
            await _probe.Gate(gate).Task;
            Section();
        }
        finally
        {
            _requestsInside--;
        }
    }

    public Task OpenAsync(string gate)
    {
        Enter();
        _probe.Open(gate);
        _requestsInside--;
        return Task.CompletedTask;
    }

    public Task OpenInterleavedAsync(string gate) => OpenAsync(gate);

    public async Task ReadAndWaitAsync(string gate)
    {
        _readersInside++;
        try
        {
            _probe.Record("reader-in");
            await _probe.Gate(gate).Task;
            Section();
        }
        finally
        {
            _readersInside--;
            _probe.Record("reader-out");
        }
    }

    public Task ReadAndOpenAsync(string gate) => OpenAsync(gate);

    public Task<int> WriteAsync()
    {
        _probe.Record("writer-in");
        return Task.FromResult(_readersInside);
    }

    public Task<(int Requests, int Threads)> GetMaximaAsync() => Task.FromResult((_maxRequests, _maxThreads));

    public Task<bool> AlwaysOnActivationSchedulerAsync() => Task.FromResult(!_offScheduler);

    private int Enter()
    {
        Section();
        var before = _requestsInside++;
        _maxRequests = Math.Max(_maxRequests, _requestsInside);
        return before;
    }

    /// <summary>A stretch of synchronous grain code: counts the threads inside it, and checks the scheduler.</summary>
    private void Section()
    {
        if (ActivationContext.Current != GrainContext)
        {
            _offScheduler = true;
        }

        var inside = Interlocked.Increment(ref _threadsInside);
        InterlockedMax(ref _maxThreads, inside);

        // Widen the window in which a second thread would be caught inside.
        Thread.SpinWait(2000);
        Interlocked.Decrement(ref _threadsInside);
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int current;
        while ((current = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, current) != current)
        {
        }
    }
}
