using Bifro.Configuration;
using Bifro.Runtime.Messaging;
using Bifro.Runtime.Tests.Grains;
using Bifro.TestKit;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Bifro.Runtime.Tests.Messaging;

public sealed class ObserverTests
{
    [Theory(Timeout = 30_000)]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Observer_GrainCallsIt_ObserverReceivesOutsideAnyGrain(bool serializeLocalCalls)
    {
        await using var silo = await TestSilo.StartAsync(s => s.Services.Configure<MessagingOptions>(o => o.SerializeLocalCalls = serializeLocalCalls));
        var probe = Probe.For(Probe.NewKey());
        var observer = new RecordingObserver(probe);
        var reference = silo.GrainFactory.CreateObjectReference<IMessageObserver>(observer);
        var hub = silo.GrainFactory.GetGrain<IObserverHubGrain>(Probe.NewKey());

        await hub.SetObserverAsync(reference);
        await hub.NotifyAsync("hello");

        Assert.Equal(["received:hello", "outside-grain"], probe.Events);
        Assert.Equal(ObserverRegistry.ObserverType, reference.GetGrainId().Type);
    }

    [Fact(Timeout = 30_000)]
    public async Task Observer_CreatedTwiceForOneObject_HasOneReference()
    {
        await using var silo = await TestSilo.StartAsync();
        var observer = new RecordingObserver(Probe.For(Probe.NewKey()));

        var first = silo.GrainFactory.CreateObjectReference<IMessageObserver>(observer);
        var second = silo.GrainFactory.CreateObjectReference<IMessageObserver>(observer);

        Assert.Equal(first.GetGrainId(), second.GetGrainId());
    }

    [Fact(Timeout = 30_000)]
    public async Task Observer_Deleted_GrainCallFailsWithError()
    {
        await using var silo = await TestSilo.StartAsync();

        // The silo's own per-node services (silo control) are registered observers too.
        var services = silo.Services.GetRequiredService<ObserverRegistry>().Count;
        var probe = Probe.For(Probe.NewKey());
        var observer = new RecordingObserver(probe);
        var hub = silo.GrainFactory.GetGrain<IObserverHubGrain>(Probe.NewKey());
        await hub.SetObserverAsync(silo.GrainFactory.CreateObjectReference<IMessageObserver>(observer));
        await hub.NotifyAsync("before");

        silo.GrainFactory.DeleteObjectReference<IMessageObserver>(observer);

        var exception = await Assert.ThrowsAsync<GrainRuntimeException>(() => hub.NotifyAsync("after"));
        Assert.Contains("no longer registered", exception.Message, StringComparison.Ordinal);
        Assert.Equal(["received:before"], probe.WithPrefix("received:"));
        Assert.Equal(services, silo.Services.GetRequiredService<ObserverRegistry>().Count);
    }
}
