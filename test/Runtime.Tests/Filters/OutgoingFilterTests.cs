using System.Collections.Concurrent;
using Bifro.Hosting;
using Bifro.Runtime.Tests.Grains;
using Bifro.TestKit;
using Xunit;

namespace Bifro.Runtime.Tests.Filters;

public sealed class OutgoingFilterTests
{
    [Fact(Timeout = 30_000)]
    public async Task OutgoingFilters_Registered_RunInRegistrationOrderAroundTheCall()
    {
        var key = Probe.NewKey();
        var probe = Probe.For(key);
        await using var silo = await TestSilo.StartAsync(s => s
            .AddOutgoingGrainCallFilter(async context =>
            {
                probe.Record("first");
                await context.Invoke();
                probe.Record("first-after");
            })
            .AddOutgoingGrainCallFilter(async context =>
            {
                probe.Record("second");
                await context.Invoke();
                probe.Record("second-after");
            }));

        await silo.GrainFactory.GetGrain<IFilterGrain>(key).EchoAsync(1);

        Assert.Equal(["first", "second", "grain-filter", "method:1", "second-after", "first-after"], probe.Events);
    }

    [Fact(Timeout = 30_000)]
    public async Task OutgoingFilter_Context_GrainIsTheReferenceAndSourceIsTheCallingGrain()
    {
        var seen = new ConcurrentQueue<IOutgoingGrainCallContext>();
        var caller = Probe.NewKey();
        var callee = Probe.NewKey();
        await using var silo = await TestSilo.StartAsync(s => s.AddOutgoingGrainCallFilter(context =>
        {
            seen.Enqueue(context);
            return context.Invoke();
        }));

        await silo.GrainFactory.GetGrain<IFilterGrain>(caller).CallOtherAsync(callee, 4);

        var contexts = seen.ToArray();
        Assert.Equal(2, contexts.Length);
        Assert.Null(contexts[0].SourceId);
        Assert.Null(contexts[0].SourceContext);
        Assert.IsAssignableFrom<GrainReference>(contexts[0].Grain);
        Assert.Equal(GrainId.Create("filter", caller), contexts[0].TargetId);
        Assert.Equal(GrainId.Create("filter", caller), contexts[1].SourceId);
        Assert.Equal(GrainId.Create("filter", callee), contexts[1].TargetId);
        Assert.Equal(typeof(IFilterGrain).GetMethod(nameof(IFilterGrain.EchoAsync)), contexts[1].InterfaceMethod);
        Assert.Equal("EchoAsync", contexts[1].MethodName);
        Assert.Equal(4, contexts[1].Result);
    }

    [Fact(Timeout = 30_000)]
    public async Task OutgoingFilter_SetsArgumentAndResult_ChangesWhatIsSentAndReturned()
    {
        var key = Probe.NewKey();
        await using var silo = await TestSilo.StartAsync(s => s.AddOutgoingGrainCallFilter(async context =>
        {
            context.Request.SetArgument(0, 9);
            await context.Invoke();
            context.Result = (int)context.Result! + 1;
        }));

        Assert.Equal(10, await silo.GrainFactory.GetGrain<IFilterGrain>(key).EchoAsync(1));
        Assert.Equal(1, Probe.For(key).Count("method:9"));
    }

    [Fact(Timeout = 30_000)]
    public async Task OutgoingFilter_SkipsInvoke_CallFailsAndNothingIsSent()
    {
        var key = Probe.NewKey();
        await using var silo = await TestSilo.StartAsync(s => s.AddOutgoingGrainCallFilter(_ => Task.CompletedTask));

        await Assert.ThrowsAsync<InvalidOperationException>(() => silo.GrainFactory.GetGrain<IFilterGrain>(key).EchoAsync(1));

        Assert.Empty(Probe.For(key).Events);
    }

    [Fact(Timeout = 30_000)]
    public async Task OutgoingFilter_GrainThrows_FilterSeesTheExceptionAndCallerToo()
    {
        var seen = new ConcurrentQueue<Exception>();
        await using var silo = await TestSilo.StartAsync(s => s.AddOutgoingGrainCallFilter(async context =>
        {
            try
            {
                await context.Invoke();
            }
            catch (Exception exception)
            {
                seen.Enqueue(exception);
                throw;
            }
        }));

        await Assert.ThrowsAsync<TestException>(() => silo.GrainFactory.GetGrain<IFilterGrain>(Probe.NewKey()).FailAsync("bad"));

        Assert.IsType<TestException>(Assert.Single(seen));
    }
}
