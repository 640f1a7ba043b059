using System.Diagnostics;
using Bifro.Runtime.Diagnostics;
using Bifro.Serialization.Invocation;

namespace Bifro.Runtime.Messaging;

/// <summary>The caller's side of one call: a task completed by the response or by the timeout.</summary>
internal sealed class ResponseCompletion<T> : TaskCompletionSource<T>, IRemoteResponseTarget
{
    private readonly PendingCallTracker _tracker;
    private readonly Message _message;

    // Taken here rather than by the caller: the completion exists per call anyway, so the duration costs no
    // allocation (the histogram reads it only when someone listens).
    private readonly long _startTimestamp = Stopwatch.GetTimestamp();

    public ResponseCompletion(PendingCallTracker tracker, Message message)
        : base(TaskCreationOptions.RunContinuationsAsynchronously)
    {
        _tracker = tracker;
        _message = message;
    }

    public long Id { get; set; }

    public RequestBase Request => _message.Request;

    public long DeadlineTicks { get; set; }

    public TimeSpan Timeout { get; set; }

    public object? SentOn { get; set; }

    public void Complete(Response response)
    {
        _tracker.Remove(this);
        RuntimeInstrumentation.RecordCall(_startTimestamp, _message.Request, response.Exception is not null);
        if (response.Exception is { } exception)
        {
            TrySetException(exception);
            return;
        }

        try
        {
            TrySetResult(response.GetResult<T>());
        }
        catch (Exception resultException)
        {
            TrySetException(resultException);
        }
    }

    public void TimedOut()
    {
        RuntimeInstrumentation.RecordCall(_startTimestamp, _message.Request, failed: true);
        TrySetException(new GrainCallTimeoutException($"{_message} got no response within {Timeout}."));
    }
}
