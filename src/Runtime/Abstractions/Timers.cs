namespace Bifro.Runtime;

/// <summary>A grain timer: its callbacks run as turns of the grain. Disposed with the activation.</summary>
public interface IGrainTimer : IDisposable
{
    /// <summary>Changes when the timer next fires and its period (<see cref="Timeout.InfiniteTimeSpan"/> = once).</summary>
    void Change(TimeSpan dueTime, TimeSpan period);
}

/// <summary>Options of a grain timer, as Orleans' GrainTimerCreationOptions.</summary>
public readonly record struct GrainTimerCreationOptions(TimeSpan DueTime, TimeSpan Period)
{
    /// <summary>Run the callback even while a request is in progress (false by default).</summary>
    public bool Interleave { get; init; }

    /// <summary>Count ticks as activity, so the timer keeps the grain from being collected (false by default).</summary>
    public bool KeepAlive { get; init; }
}

/// <summary>Grain timer registration, as Orleans' GrainBaseExtensions.RegisterGrainTimer.</summary>
public static class GrainTimerExtensions
{
    public static IGrainTimer RegisterGrainTimer<TState>(
        this IGrainBase grain, Func<TState, CancellationToken, Task> callback, TState state, GrainTimerCreationOptions options)
    {
        ArgumentNullException.ThrowIfNull(callback);
        var activation = (Activation.ActivationData)grain.GrainContext;
        var timer = new Timers.GrainTimer(activation, (s, ct) => callback((TState)s!, ct), state, options);
        activation.AddTimer(timer);
        timer.Change(options.DueTime, options.Period);
        return timer;
    }

    public static IGrainTimer RegisterGrainTimer(this IGrainBase grain, Func<CancellationToken, Task> callback, GrainTimerCreationOptions options) =>
        grain.RegisterGrainTimer(static (cb, ct) => cb(ct), callback, options);

    public static IGrainTimer RegisterGrainTimer(this IGrainBase grain, Func<Task> callback, TimeSpan dueTime, TimeSpan period) =>
        grain.RegisterGrainTimer(static (cb, _) => cb(), callback, new GrainTimerCreationOptions(dueTime, period));
}
