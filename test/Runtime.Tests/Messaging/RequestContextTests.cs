using Bifro.Configuration;
using Bifro.Runtime.Tests.Grains;
using Bifro.TestKit;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Bifro.Runtime.Tests.Messaging;

public sealed class RequestContextTests
{
    private static Task<TestSilo> StartAsync(bool serializeLocalCalls) =>
        TestSilo.StartAsync(s => s.Services.Configure<MessagingOptions>(o => o.SerializeLocalCalls = serializeLocalCalls));

    [Theory(Timeout = 30_000)]
    [InlineData(false)]
    [InlineData(true)]
    public async Task RequestContext_SetByCaller_FlowsIntoTheCall(bool serializeLocalCalls)
    {
        await using var silo = await StartAsync(serializeLocalCalls);
        RequestContext.Set("tenant", "t1");
        try
        {
            Assert.Equal("t1", await silo.GrainFactory.GetGrain<IMessagingGrain>(Probe.NewKey()).GetContextValueAsync("tenant"));
        }
        finally
        {
            RequestContext.Clear();
        }
    }

    [Theory(Timeout = 30_000)]
    [InlineData(false)]
    [InlineData(true)]
    public async Task RequestContext_SetByCaller_FlowsIntoCallsTheGrainMakes(bool serializeLocalCalls)
    {
        await using var silo = await StartAsync(serializeLocalCalls);
        RequestContext.Set("trace", "abc");
        try
        {
            var grain = silo.GrainFactory.GetGrain<IMessagingGrain>(Probe.NewKey());

            Assert.Equal("abc", await grain.GetContextValueThroughAsync(Probe.NewKey(), "trace"));
        }
        finally
        {
            RequestContext.Clear();
        }
    }

    [Theory(Timeout = 30_000)]
    [InlineData(false)]
    [InlineData(true)]
    public async Task RequestContext_ChangedByCallee_DoesNotFlowBack(bool serializeLocalCalls)
    {
        await using var silo = await StartAsync(serializeLocalCalls);
        RequestContext.Set("k", "caller");
        RequestContext.Set("other", "kept");
        try
        {
            var grain = silo.GrainFactory.GetGrain<IMessagingGrain>(Probe.NewKey());

            Assert.Equal("callee", await grain.ChangeContextAsync("k", "callee"));

            Assert.Equal("caller", RequestContext.Get("k"));
            Assert.Equal("kept", RequestContext.Get("other"));
            Assert.Equal("caller", await grain.GetContextValueAsync("k"));
        }
        finally
        {
            RequestContext.Clear();
        }
    }

    [Fact(Timeout = 30_000)]
    public async Task RequestContext_NotSet_GrainSeesNoKeys()
    {
        await using var silo = await StartAsync(serializeLocalCalls: true);
        RequestContext.Clear();

        Assert.Empty(await silo.GrainFactory.GetGrain<IMessagingGrain>(Probe.NewKey()).GetContextKeysAsync());
    }

    [Fact]
    public void RequestContext_Empty_MessagesCarryNothingAndReadsAllocateNothing()
    {
        RequestContext.Set("k", "v");
        RequestContext.Remove("k");
        Assert.Null(RequestContext.Export());
        RequestContext.Set("k", "v");
        RequestContext.Clear();
        Assert.Null(RequestContext.Export());

        // Warm up, then measure the reads a call makes when nothing is set.
        _ = RequestContext.Get("k");
        _ = RequestContext.Export();
        foreach (var unused in RequestContext.Keys)
        {
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        var value = RequestContext.Get("k");
        var exported = RequestContext.Export();
        foreach (var unused in RequestContext.Keys)
        {
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Null(value);
        Assert.Null(exported);
        Assert.Equal(0, allocated);
    }
}
