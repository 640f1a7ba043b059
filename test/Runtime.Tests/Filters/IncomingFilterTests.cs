using System.Collections.Concurrent;
using Bifro.Hosting;
using Bifro.Runtime.Tests.Grains;
using Bifro.TestKit;
using Xunit;

namespace Bifro.Runtime.Tests.Filters;

public sealed class IncomingFilterTests
{
    [Fact(Timeout = 30_000)]
    public async Task IncomingFilters_Registered_RunInRegistrationOrderWithGrainClassFilterLast()
    {
        var key = Probe.NewKey();
        var probe = Probe.For(key);
        await using var silo = await TestSilo.StartAsync(s => s
            .AddIncomingGrainCallFilter(async context =>
            {
                probe.Record("first");
                await context.Invoke();
                probe.Record("first-after");
            })
            .AddIncomingGrainCallFilter(async context =>
            {
                probe.Record("second");
                await context.Invoke();
            }));

        await silo.GrainFactory.GetGrain<IFilterGrain>(key).EchoAsync(1);

        Assert.Equal(["first", "second", "grain-filter", "method:1", "first-after"], probe.Events);
    }

    [Fact(Timeout = 30_000)]
    public async Task IncomingFilter_Context_ExposesGrainObjectMethodAndArguments()
    {
        var seen = new ConcurrentQueue<IIncomingGrainCallContext>();
        object?[]? arguments = null;
        var key = Probe.NewKey();
        await using var silo = await TestSilo.StartAsync(s => s.AddIncomingGrainCallFilter(async context =>
        {
            arguments = context.GetArguments();
            seen.Enqueue(context);
            await context.Invoke();
        }));

        await silo.GrainFactory.GetGrain<IFilterGrain>(key).EchoAsync(5);

        var context = Assert.Single(seen);
        Assert.IsType<FilterGrain>(context.Grain);
        Assert.Same(context.Grain, context.TargetContext.GrainInstance);
        Assert.Equal(typeof(IFilterGrain).GetMethod(nameof(IFilterGrain.EchoAsync)), context.InterfaceMethod);
        Assert.Equal(typeof(FilterGrain), context.ImplementationMethod.DeclaringType);
        Assert.Equal("EchoAsync", context.MethodName);
        Assert.Equal(GrainId.Create("filter", key), context.TargetId);
        Assert.Null(context.SourceId);
        Assert.Equal([5], arguments!);
        Assert.Equal(5, context.Request.GetArgument(0));
        Assert.Equal(5, context.Result);
    }

    [Fact(Timeout = 30_000)]
    public async Task IncomingFilter_CallFromAGrain_SourceIdIsTheCallingGrain()
    {
        var sources = new ConcurrentQueue<GrainId?>();
        var caller = Probe.NewKey();
        await using var silo = await TestSilo.StartAsync(s => s.AddIncomingGrainCallFilter(context =>
        {
            sources.Enqueue(context.SourceId);
            return context.Invoke();
        }));

        await silo.GrainFactory.GetGrain<IFilterGrain>(caller).CallOtherAsync(Probe.NewKey(), 1);

        Assert.Equal([null, GrainId.Create("filter", caller)], sources.ToArray());
    }

    [Fact(Timeout = 30_000)]
    public async Task IncomingFilter_SetsArgument_GrainReceivesTheNewValue()
    {
        var key = Probe.NewKey();
        await using var silo = await TestSilo.StartAsync(s => s.AddIncomingGrainCallFilter(context =>
        {
            context.Request.SetArgument(0, (int)context.Request.GetArgument(0)! * 10);
            return context.Invoke();
        }));

        Assert.Equal(70, await silo.GrainFactory.GetGrain<IFilterGrain>(key).EchoAsync(7));
        Assert.Equal(1, Probe.For(key).Count("method:70"));
    }

    [Fact(Timeout = 30_000)]
    public async Task IncomingFilter_SetsResult_ReplacesTheGrainsResult()
    {
        await using var silo = await TestSilo.StartAsync(s => s.AddIncomingGrainCallFilter(async context =>
        {
            await context.Invoke();
            context.Result = (int)context.Result! + 100;
        }));

        Assert.Equal(101, await silo.GrainFactory.GetGrain<IFilterGrain>(Probe.NewKey()).EchoAsync(1));
    }

    [Fact(Timeout = 30_000)]
    public async Task IncomingFilter_SetsResultWithoutInvoking_ShortCircuitsTheCall()
    {
        var key = Probe.NewKey();
        await using var silo = await TestSilo.StartAsync(s => s.AddIncomingGrainCallFilter(context =>
        {
            context.Result = -1;
            return Task.CompletedTask;
        }));

        Assert.Equal(-1, await silo.GrainFactory.GetGrain<IFilterGrain>(key).EchoAsync(1));
        Assert.Empty(Probe.For(key).Events);
    }

    [Fact(Timeout = 30_000)]
    public async Task IncomingFilter_SkipsInvoke_CallFailsAsABrokenFilter()
    {
        var key = Probe.NewKey();
        await using var silo = await TestSilo.StartAsync(s => s.AddIncomingGrainCallFilter(_ => Task.CompletedTask));

        var exception = await Assert.ThrowsAsync<InvalidOperationException>(() => silo.GrainFactory.GetGrain<IFilterGrain>(key).EchoAsync(1));

        Assert.Contains("broken filter", exception.Message, StringComparison.Ordinal);
        Assert.Empty(Probe.For(key).Events);
    }

    [Fact(Timeout = 30_000)]
    public async Task IncomingFilter_GrainThrows_OuterFilterSeesTheException()
    {
        var seen = new ConcurrentQueue<Exception>();
        await using var silo = await TestSilo.StartAsync(s => s.AddIncomingGrainCallFilter(async context =>
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

        Assert.Equal("bad", Assert.IsType<TestException>(Assert.Single(seen)).Message);
    }

    [Fact(Timeout = 30_000)]
    public async Task IncomingFilter_RegisteredAsType_IsResolvedAndRuns()
    {
        await using var silo = await TestSilo.StartAsync(s => s.AddIncomingGrainCallFilter<DoublingFilter>());

        Assert.Equal(6, await silo.GrainFactory.GetGrain<IFilterGrain>(Probe.NewKey()).EchoAsync(3));
    }

    private sealed class DoublingFilter : IIncomingGrainCallFilter
    {
        public async Task Invoke(IIncomingGrainCallContext context)
        {
            await context.Invoke();
            if (context.Result is int value)
            {
                context.Result = value * 2;
            }
        }
    }
}
