using Bifro.Runtime.Tests.Grains;
using Bifro.TestKit;
using Xunit;

namespace Bifro.Runtime.Tests.Activation;

public sealed class BasicCallTests
{
    [Fact(Timeout = 30_000)]
    public async Task Call_FirstCall_ActivatesGrainAndReturnsResult()
    {
        await using var silo = await TestSilo.StartAsync();
        var grain = silo.GrainFactory.GetGrain<ICounterGrain>("a");
        Assert.Equal(2, await grain.AddAsync(2));
        Assert.Equal(5, await grain.AddAsync(3));
        Assert.Equal("counter/a", await grain.GetIdentityAsync());
    }

    [Fact(Timeout = 30_000)]
    public async Task Call_GrainThrows_ExceptionKeepsItsType()
    {
        await using var silo = await TestSilo.StartAsync();
        var grain = silo.GrainFactory.GetGrain<ICounterGrain>("b");
        var ex = await Assert.ThrowsAsync<TestException>(() => grain.ThrowAsync("boom"));
        Assert.Equal("boom", ex.Message);
    }
}
