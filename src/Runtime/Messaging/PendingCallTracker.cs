using System.Collections.Concurrent;
using Bifro.Serialization.Invocation;

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

    /// <summary>The connection the request went out on; its response can only come back on it.</summary>
    object? SentOn { get; set; }

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

    /// <summary>Fails every call sent on <paramref name="connection"/>, which closed: no response can come back on it.</summary>
    public void FailSentOn(object connection, Exception? reason)
    {
        foreach (var (id, call) in _pending)
        {
            if (ReferenceEquals(call.SentOn, connection) && call is IResponseSink sink && _pending.TryRemove(id, out _))
            {
                sink.Complete(Response.FromException(new SiloUnavailableException(
                    $"The connection the call went out on closed before its response came: {reason?.Message ?? "closed"}.", reason)));
            }
        }
    }

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
