using Bifro.Serialization.Invocation;

namespace Bifro.Runtime.Messaging;

/// <summary>The caller's side of one call: a task completed by the response or by the timeout.</summary>
internal sealed class ResponseCompletion<T> : TaskCompletionSource<T>, IRemoteResponseTarget
{
    private readonly PendingCallTracker _tracker;
    private readonly Message _message;

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

    public void TimedOut() =>
        TrySetException(new GrainCallTimeoutException($"{_message} got no response within {Timeout}."));
}
