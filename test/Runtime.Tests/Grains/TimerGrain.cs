using Bifro.Runtime.Activation;

namespace Bifro.Runtime.Tests.Grains;

public interface ITimerGrain : IGrainWithStringKey
{
    /// <summary>Starts a timer whose callback records "tick" and then awaits <paramref name="callbackDelay"/>.</summary>
    Task StartAsync(TimeSpan period, TimeSpan callbackDelay, bool interleave);

    /// <summary>Starts a one-shot timer that records the request context value "k" it sees.</summary>
    Task StartContextTimerAsync();

    /// <summary>A request that awaits for a while; timer callbacks must not run inside it (unless they interleave).</summary>
    Task BusyAsync(TimeSpan duration);

    /// <summary>Waits for the probe's gate "timer", which the next tick opens: only possible if ticks interleave.</summary>
    Task WaitForTimerAsync();

    Task DeactivateAsync();

    /// <summary>Most callbacks ever running at once; ticks seen inside a request; ticks run off the activation's scheduler.</summary>
    Task<(int MaxConcurrentTicks, int TicksDuringRequest, int TicksOffScheduler)> GetStatsAsync();
}

public sealed class TimerGrain : Grain, ITimerGrain
{
    private readonly Probe _probe;
    private bool _inRequest;
    private int _ticksRunning;
    private int _maxConcurrentTicks;
    private int _ticksDuringRequest;
    private int _ticksOffScheduler;
    private int _ticks;
    private bool _waitingForTimer;

    public TimerGrain() => _probe = Probe.For(this.GetPrimaryKeyString());

    public Task StartAsync(TimeSpan period, TimeSpan callbackDelay, bool interleave)
    {
        this.RegisterGrainTimer(
            async _ =>
            {
                _ticks++;
                _ticksRunning++;
                _maxConcurrentTicks = Math.Max(_maxConcurrentTicks, _ticksRunning);
                if (_inRequest && !interleave)
                {
                    _ticksDuringRequest++;
                }

                if (ActivationContext.Current != GrainContext)
                {
                    _ticksOffScheduler++;
                }

                _probe.Record("tick");
                if (_waitingForTimer)
                {
                    _probe.Open("timer");
                }

                try
                {
                    await Task.Delay(callbackDelay);
                }
                finally
                {
                    _ticksRunning--;
                }
            },
            new GrainTimerCreationOptions(TimeSpan.Zero, period) { Interleave = interleave });
        return Task.CompletedTask;
    }

    public Task StartContextTimerAsync()
    {
        this.RegisterGrainTimer(
            () =>
            {
                _probe.Record($"context:{RequestContext.Get("k") as string ?? "(none)"}");
                return Task.CompletedTask;
            },
            TimeSpan.FromMilliseconds(10),
            Timeout.InfiniteTimeSpan);
        return Task.CompletedTask;
    }

    public async Task BusyAsync(TimeSpan duration)
    {
        _inRequest = true;
        try
        {
            await Task.Delay(duration);
        }
        finally
        {
            _inRequest = false;
        }
    }

    public async Task WaitForTimerAsync()
    {
        _waitingForTimer = true;
        await _probe.Gate("timer").Task;
        _waitingForTimer = false;
    }

    public Task DeactivateAsync()
    {
        DeactivateOnIdle();
        return Task.CompletedTask;
    }

    public Task<(int MaxConcurrentTicks, int TicksDuringRequest, int TicksOffScheduler)> GetStatsAsync() =>
        Task.FromResult((_maxConcurrentTicks, _ticksDuringRequest, _ticksOffScheduler));

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        _probe.Record($"deactivated-after:{_ticks}");
        return Task.CompletedTask;
    }
}
