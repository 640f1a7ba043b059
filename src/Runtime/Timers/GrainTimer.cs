using Bifro.Runtime.Activation;

namespace Bifro.Runtime.Timers;

/// <summary>
/// A timer whose ticks are turns of its activation. As in Orleans, ticks do not overlap: the next one
/// is scheduled when the callback completes.
/// </summary>
internal sealed class GrainTimer : IGrainTimer, IActivationWorkItem
{
    private readonly ActivationData _activation;
    private readonly Func<object?, CancellationToken, Task> _callback;
    private readonly object? _state;
    private readonly bool _interleave;
    private readonly Timer _timer;
    private readonly CancellationTokenSource _disposed = new();
    private TimeSpan _period;
    private bool _tickQueued;

    public GrainTimer(ActivationData activation, Func<object?, CancellationToken, Task> callback, object? state, GrainTimerCreationOptions options)
    {
        _activation = activation;
        _callback = callback;
        _state = state;
        _interleave = options.Interleave;
        KeepAlive = options.KeepAlive;
        _timer = new Timer(static s => ((GrainTimer)s!).OnTimer(), this, Timeout.Infinite, Timeout.Infinite);
    }

    public bool KeepAlive { get; }

    public bool KeepsAlive => KeepAlive;

    public bool Interleaves => _interleave;

    public bool IsReadOnly => false;

    public void Change(TimeSpan dueTime, TimeSpan period)
    {
        if (_disposed.IsCancellationRequested)
        {
            return;
        }

        lock (this)
        {
            _period = period;
        }

        _timer.Change(dueTime, Timeout.InfiniteTimeSpan);
    }

    public async Task RunAsync(ActivationData activation)
    {
        lock (this)
        {
            _tickQueued = false;
        }

        if (_disposed.IsCancellationRequested)
        {
            return;
        }

        try
        {
            await _callback(_state, _disposed.Token).ConfigureAwait(true);
        }
        finally
        {
            TimeSpan period;
            lock (this)
            {
                period = _period;
            }

            if (!_disposed.IsCancellationRequested && period > TimeSpan.Zero && period != Timeout.InfiniteTimeSpan)
            {
                _timer.Change(period, Timeout.InfiniteTimeSpan);
            }
        }
    }

    public void Fail(Exception exception)
    {
    }

    public void Dispose()
    {
        if (_disposed.IsCancellationRequested)
        {
            return;
        }

        _disposed.Cancel();
        _timer.Dispose();
        _activation.RemoveTimer(this);
    }

    private void OnTimer()
    {
        lock (this)
        {
            if (_tickQueued || _disposed.IsCancellationRequested)
            {
                return;
            }

            _tickQueued = true;
        }

        _activation.Enqueue(this);
    }
}
