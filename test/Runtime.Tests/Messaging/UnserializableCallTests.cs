using System.Runtime.Serialization;
using Bifro.Configuration;
using Bifro.Runtime.Messaging;
using Bifro.Runtime.Tests.Grains;
using Bifro.TestKit;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Bifro.Runtime.Tests.Messaging;

public sealed class UnserializableCallTests
{
    [Fact(Timeout = 30_000)]
    public async Task Call_ArgumentWithoutCodec_ReturnsAFaultedTaskAndLeavesNoPendingCall()
    {
        await using var silo = await TestSilo.StartAsync(s => s.Services.Configure<MessagingOptions>(o => o.SerializeLocalCalls = true));
        var grain = silo.GrainFactory.GetGrain<IArgumentsGrain>(Probe.NewKey());

        Task? call = null;
        Exception? thrown = null;
        try
        {
            call = grain.ShapesAsync(new Circle(), new Envelope(), new Uri("http://example.invalid"));
        }
        catch (Exception exception)
        {
            thrown = exception;
        }

        Assert.Null(thrown);
        await Assert.ThrowsAsync<SerializationException>(() => call!);
        Assert.Equal(0, silo.Services.GetRequiredService<PendingCallTracker>().Count);
    }
}
