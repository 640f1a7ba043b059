using Bifro.Runtime.Tests.Grains;
using Bifro.TestKit;
using Xunit;

namespace Bifro.Runtime.Tests.Activation;

public sealed class TurnTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);

    [Fact(Timeout = 30_000)]
    public async Task NonReentrantGrain_ConcurrentCallsThatAwait_NeverRunTwoRequestsAtOnce()
    {
        await using var silo = await TestSilo.StartAsync();
        var grain = silo.GrainFactory.GetGrain<ITurnGrain>(Probe.NewKey());

        var insideAtStart = await Task.WhenAll(Enumerable.Range(0, 30).Select(_ => grain.WorkAsync(3)));

        Assert.All(insideAtStart, count => Assert.Equal(0, count));
        Assert.Equal((1, 1), await grain.GetMaximaAsync());
        Assert.True(await grain.AlwaysOnActivationSchedulerAsync());
    }

    [Fact(Timeout = 30_000)]
    public async Task ReentrantGrain_ConcurrentCallsThatAwait_InterleaveAtAwaits()
    {
        await using var silo = await TestSilo.StartAsync();
        var key = Probe.NewKey();
        var grain = silo.GrainFactory.GetGrain<IReentrantTurnGrain>(key);

        // The first request waits for a gate that only a second request opens: both must be inside at once.
        var waiting = grain.WaitAsync("g");
        await Probe.For(key).WaitForAsync("waiting:g");
        await grain.OpenAsync("g");
        await waiting.WaitAsync(Deadline);

        Assert.Equal(2, (await grain.GetMaximaAsync()).Requests);
    }

    [Fact(Timeout = 30_000)]
    public async Task ReentrantGrain_ManyInterleavedCalls_GrainCodeNeverRunsOnTwoThreadsAtOnce()
    {
        await using var silo = await TestSilo.StartAsync();
        var grain = silo.GrainFactory.GetGrain<IReentrantTurnGrain>(Probe.NewKey());

        var insideAtStart = await Task.WhenAll(Enumerable.Range(0, 40).Select(_ => grain.WorkAsync(5)));

        var (requests, threads) = await grain.GetMaximaAsync();
        Assert.True(requests > 1, $"requests should interleave, max inside was {requests}");
        Assert.Contains(insideAtStart, count => count > 0);
        Assert.Equal(1, threads);
        Assert.True(await grain.AlwaysOnActivationSchedulerAsync());
    }

    [Fact(Timeout = 30_000)]
    public async Task NonReentrantGrain_SecondRequest_WaitsForTheFirstToFinish()
    {
        await using var silo = await TestSilo.StartAsync();
        var key = Probe.NewKey();
        var probe = Probe.For(key);
        var grain = silo.GrainFactory.GetGrain<ITurnGrain>(key);

        var first = grain.WaitAsync("first");
        await probe.WaitForAsync("waiting:first");
        var second = grain.WaitAsync("second");
        probe.Open("second");

        // The second request is queued behind the first, which still waits.
        Assert.False(second.IsCompleted);
        Assert.Equal(0, probe.Count("waiting:second"));

        probe.Open("first");
        await Task.WhenAll(first, second).WaitAsync(Deadline);
        Assert.Equal(["waiting:first", "waiting:second"], probe.WithPrefix("waiting:"));
    }

    [Fact(Timeout = 30_000)]
    public async Task AlwaysInterleaveMethod_AnotherRequestAwaits_RunsAtOnce()
    {
        await using var silo = await TestSilo.StartAsync();
        var key = Probe.NewKey();
        var grain = silo.GrainFactory.GetGrain<ITurnGrain>(key);

        var waiting = grain.WaitAsync("g");
        await Probe.For(key).WaitForAsync("waiting:g");
        await grain.OpenInterleavedAsync("g").WaitAsync(Deadline);

        await waiting.WaitAsync(Deadline);
    }

    [Fact(Timeout = 30_000)]
    public async Task AlwaysInterleaveMethod_QueuedBehindAWaitingRequest_StillRunsAtOnce()
    {
        await using var silo = await TestSilo.StartAsync();
        var key = Probe.NewKey();
        var probe = Probe.For(key);
        var grain = silo.GrainFactory.GetGrain<ITurnGrain>(key);

        var waiting = grain.WaitAsync("g");
        await probe.WaitForAsync("waiting:g");
        var queued = grain.WaitAsync("later");
        await grain.OpenInterleavedAsync("g").WaitAsync(Deadline);

        await waiting.WaitAsync(Deadline);
        probe.Open("later");
        await queued.WaitAsync(Deadline);
    }

    [Fact(Timeout = 30_000)]
    public async Task ReadOnlyRequests_OneAwaitsAnother_RunTogether()
    {
        await using var silo = await TestSilo.StartAsync();
        var key = Probe.NewKey();
        var grain = silo.GrainFactory.GetGrain<ITurnGrain>(key);

        var reading = grain.ReadAndWaitAsync("g");
        await Probe.For(key).WaitForAsync("reader-in");
        await grain.ReadAndOpenAsync("g").WaitAsync(Deadline);

        await reading.WaitAsync(Deadline);
    }

    [Fact(Timeout = 30_000)]
    public async Task WriteRequest_ReadOnlyRequestInProgress_WaitsUntilItEnds()
    {
        await using var silo = await TestSilo.StartAsync();
        var key = Probe.NewKey();
        var probe = Probe.For(key);
        var grain = silo.GrainFactory.GetGrain<ITurnGrain>(key);

        var reading = grain.ReadAndWaitAsync("g");
        await probe.WaitForAsync("reader-in");

        // Sent before the reader is released: if the write could start beside the reader, it would be
        // queued to the activation's scheduler ahead of the release and see the reader inside.
        var writing = grain.WriteAsync();
        await grain.OpenInterleavedAsync("g");

        Assert.Equal(0, await writing.WaitAsync(Deadline));
        await reading;
        Assert.Equal(["reader-in", "reader-out", "writer-in"], probe.Events);
    }
}
