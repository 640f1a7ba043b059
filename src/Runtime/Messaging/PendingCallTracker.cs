using System.Collections.Concurrent;

namespace Bifro.Runtime.Messaging;

/// <summary>A call waiting for a response from another process: the response is read with its request's types.</summary>
internal interface IRemoteResponseTarget : IPendingCall, IResponseSink
{
    Serialization.Invocation.RequestBase Request { get; }
}

internal interface IPendingCall
{
    long Id { get; set; }

    long DeadlineTicks { get; set; }

    TimeSpan Timeout { get; set; }

    void TimedOut();
}

/// <summary>
/// Calls awaiting a response, so that one periodic check times them out (no timer per call).
/// Timeouts are therefore precise to the check period, one second.
/// </summary>
internal sealed class PendingCallTracker : IDisposable
{
    private readonly ConcurrentDictionary<long, IPendingCall> _pending = new();
    private readonly Timer _timer;
    private long _nextId;

    public PendingCallTracker()
    {
        _timer = new Timer(static s => ((PendingCallTracker)s!).CheckTimeouts(), this, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));
    }

    public int Count => _pending.Count;

    public void Add(IPendingCall call, TimeSpan timeout)
    {
        call.Id = Interlocked.Increment(ref _nextId);
        call.Timeout = timeout;
        call.DeadlineTicks = Environment.TickCount64 + (long)timeout.TotalMilliseconds;
        _pending[call.Id] = call;
    }

    public bool TryRemove(long id, out IPendingCall call) => _pending.TryRemove(id, out call!);

    public void Remove(IPendingCall call) => _pending.TryRemove(call.Id, out _);

    public void CheckTimeouts()
    {
        var now = Environment.TickCount64;
        foreach (var (id, call) in _pending)
        {
            if (now >= call.DeadlineTicks && _pending.TryRemove(id, out _))
            {
                call.TimedOut();
            }
        }
    }

    public void Dispose() => _timer.Dispose();
}
