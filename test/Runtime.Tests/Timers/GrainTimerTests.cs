using Bifro.Runtime.Tests.Grains;
using Bifro.TestKit;
using Xunit;

namespace Bifro.Runtime.Tests.Timers;

public sealed class GrainTimerTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);

    [Fact(Timeout = 30_000)]
    public async Task Timer_RequestsInProgress_TicksRunAsTurnsBetweenThem()
    {
        await using var silo = await TestSilo.StartAsync();
        var key = Probe.NewKey();
        var grain = silo.GrainFactory.GetGrain<ITimerGrain>(key);
        await grain.StartAsync(TimeSpan.FromMilliseconds(5), TimeSpan.FromMilliseconds(2), interleave: false);

        // Keep requests running back to back while the timer ticks.
        var ticksBefore = Probe.For(key).Count("tick");
        while (Probe.For(key).Count("tick") < ticksBefore + 5)
        {
            await Task.WhenAll(grain.BusyAsync(TimeSpan.FromMilliseconds(10)), grain.BusyAsync(TimeSpan.FromMilliseconds(10)));
        }

        var (_, ticksDuringRequest, ticksOffScheduler) = await grain.GetStatsAsync();
        Assert.Equal(0, ticksDuringRequest);
        Assert.Equal(0, ticksOffScheduler);
    }

    [Fact(Timeout = 30_000)]
    public async Task Timer_CallbackSlowerThanPeriod_TicksDoNotOverlap()
    {
        await using var silo = await TestSilo.StartAsync();
        var key = Probe.NewKey();
        var grain = silo.GrainFactory.GetGrain<ITimerGrain>(key);

        await grain.StartAsync(TimeSpan.FromMilliseconds(1), TimeSpan.FromMilliseconds(20), interleave: true);
        await Probe.For(key).WaitForAsync("tick", 5);

        Assert.Equal(1, (await grain.GetStatsAsync()).MaxConcurrentTicks);
    }

    [Fact(Timeout = 30_000)]
    public async Task Timer_Interleave_RunsWhileARequestAwaits()
    {
        await using var silo = await TestSilo.StartAsync();
        var key = Probe.NewKey();
        var grain = silo.GrainFactory.GetGrain<ITimerGrain>(key);

        await grain.StartAsync(TimeSpan.FromMilliseconds(20), TimeSpan.Zero, interleave: true);

        // The request waits for a gate that only a tick during the request opens; a timer that waited
        // for the turn never would.
        try
        {
            await grain.WaitForTimerAsync().WaitAsync(Deadline);
        }
        finally
        {
            Probe.For(key).OpenAll();
        }
    }

    [Fact(Timeout = 30_000)]
    public async Task Timer_GrainDeactivates_StopsTicking()
    {
        await using var silo = await TestSilo.StartAsync();
        var key = Probe.NewKey();
        var probe = Probe.For(key);
        var grain = silo.GrainFactory.GetGrain<ITimerGrain>(key);
        await grain.StartAsync(TimeSpan.FromMilliseconds(5), TimeSpan.Zero, interleave: false);
        await probe.WaitForAsync("tick", 3);

        await grain.DeactivateAsync();
        await probe.WaitForPrefixAsync("deactivated-after:");
        var ticksAtDeactivation = int.Parse(probe.WithPrefix("deactivated-after:")[0]["deactivated-after:".Length..], System.Globalization.CultureInfo.InvariantCulture);

        // A clock that proves time passed: another grain's timer with the same period ticks ten times.
        var clock = Probe.NewKey();
        await silo.GrainFactory.GetGrain<ITimerGrain>(clock).StartAsync(TimeSpan.FromMilliseconds(5), TimeSpan.Zero, interleave: false);
        await Probe.For(clock).WaitForAsync("tick", 10);

        Assert.Equal(ticksAtDeactivation, probe.Count("tick"));
    }

    [Fact(Timeout = 30_000)]
    public async Task Timer_CreatedInsideACallWithRequestContext_CallbackSeesNoRequestContext()
    {
        await using var silo = await TestSilo.StartAsync();
        var key = Probe.NewKey();
        RequestContext.Set("k", "from-the-call");
        try
        {
            await silo.GrainFactory.GetGrain<ITimerGrain>(key).StartContextTimerAsync();
        }
        finally
        {
            RequestContext.Clear();
        }

        await Probe.For(key).WaitForPrefixAsync("context:");

        Assert.Equal(["context:(none)"], Probe.For(key).WithPrefix("context:"));
    }
}
