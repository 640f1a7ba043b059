using Bifro.Runtime.Messaging;
using Bifro.Runtime.Tests.Grains;
using Bifro.TestKit;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Bifro.Runtime.Tests.Messaging;

public sealed class OneWayTests
{
    [Fact(Timeout = 30_000)]
    public async Task OneWayCall_GrainStillRunning_ReturnsToCallerWithoutWaitingForAResponse()
    {
        await using var silo = await TestSilo.StartAsync();
        var tracker = silo.Services.GetRequiredService<PendingCallTracker>();
        var key = Probe.NewKey();
        var probe = Probe.For(key);

        await silo.GrainFactory.GetGrain<IMessagingGrain>(key).FireAndForgetAsync();

        // The grain has not finished (it waits for the gate), and no response is awaited.
        await probe.WaitForAsync("started");
        Assert.Equal(0, probe.Count("finished"));
        Assert.Equal(0, tracker.Count);
        probe.Open("finish");
        await probe.WaitForAsync("finished");
    }

    [Theory(Timeout = 30_000)]
    [InlineData(false)]
    [InlineData(true)]
    public async Task OneWayCall_GrainThrows_CallerSeesNoException(bool serializeLocalCalls)
    {
        await using var silo = await TestSilo.StartAsync(s => s.Services.Configure<Bifro.Configuration.MessagingOptions>(o => o.SerializeLocalCalls = serializeLocalCalls));
        var key = Probe.NewKey();

        await silo.GrainFactory.GetGrain<IMessagingGrain>(key).FireAndThrowAsync();

        await Probe.For(key).WaitForAsync("threw");
    }
}
