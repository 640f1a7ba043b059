using Bifro.Configuration;
using Bifro.Hosting;
using Bifro.Runtime.Tests.Grains;
using Bifro.TestKit;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Bifro.Runtime.Tests.Messaging;

public sealed class ExceptionTests
{
    private static Task<TestSilo> StartAsync(bool serializeLocalCalls) =>
        TestSilo.StartAsync(s => s.Services.Configure<MessagingOptions>(o => o.SerializeLocalCalls = serializeLocalCalls));

    [Theory(Timeout = 30_000)]
    [InlineData(false)]
    [InlineData(true)]
    public async Task GrainThrows_KnownTypes_CallerSeesSameTypeAndMessage(bool serializeLocalCalls)
    {
        await using var silo = await StartAsync(serializeLocalCalls);
        var grain = silo.GrainFactory.GetGrain<IMessagingGrain>(Probe.NewKey());

        Assert.Equal("one", (await Assert.ThrowsAsync<TestException>(() => grain.ThrowAsync("test", "one"))).Message);
        Assert.Equal("two", (await Assert.ThrowsAsync<ArgumentException>(() => grain.ThrowAsync("argument", "two"))).Message);
        Assert.Equal("three", (await Assert.ThrowsAsync<InvalidOperationException>(() => grain.ThrowAsync("invalid", "three"))).Message);
    }

    [Theory(Timeout = 30_000)]
    [InlineData(false)]
    [InlineData(true)]
    public async Task GrainThrows_ThroughAnotherGrain_CallerSeesOriginalType(bool serializeLocalCalls)
    {
        await using var silo = await StartAsync(serializeLocalCalls);
        var grain = silo.GrainFactory.GetGrain<IMessagingGrain>(Probe.NewKey());

        var exception = await Assert.ThrowsAsync<TestException>(() => grain.ThrowThroughAsync(Probe.NewKey(), "test", "deep"));

        Assert.Equal("deep", exception.Message);
    }

    [Fact(Timeout = 30_000)]
    public async Task GrainThrows_InProcess_CallerSeesTheSameExceptionType()
    {
        await using var silo = await StartAsync(serializeLocalCalls: false);
        var grain = silo.GrainFactory.GetGrain<IMessagingGrain>(Probe.NewKey());

        var exception = await Assert.ThrowsAsync<UnrebuildableException>(() => grain.ThrowAsync("unknown", "abc"));

        Assert.Equal("failure 3", exception.Message);
    }

    [Fact(Timeout = 30_000)]
    public async Task GrainThrows_TypeTheReceiverCannotBuild_BecomesRemoteGrainException()
    {
        await using var silo = await StartAsync(serializeLocalCalls: true);
        var grain = silo.GrainFactory.GetGrain<IMessagingGrain>(Probe.NewKey());

        var exception = await Assert.ThrowsAsync<RemoteGrainException>(() => grain.ThrowAsync("unknown", "abc"));

        Assert.Contains(typeof(UnrebuildableException).FullName!, exception.RemoteTypeName, StringComparison.Ordinal);
        Assert.Contains("failure 3", exception.Message, StringComparison.Ordinal);
    }

    [Theory(Timeout = 30_000)]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Call_GrainNeverAnswers_FailsWithGrainCallTimeoutException(bool serializeLocalCalls)
    {
        await using var silo = await TestSilo.StartAsync(s => s.Services.Configure<MessagingOptions>(o =>
        {
            o.ResponseTimeout = TimeSpan.FromMilliseconds(300);
            o.SerializeLocalCalls = serializeLocalCalls;
        }));
        var key = Probe.NewKey();
        try
        {
            var exception = await Assert.ThrowsAsync<GrainCallTimeoutException>(() => silo.GrainFactory.GetGrain<IMessagingGrain>(key).HangAsync());

            Assert.Contains("HangAsync", exception.Message, StringComparison.Ordinal);
        }
        finally
        {
            // Let the grain finish, so that the silo can deactivate it when it stops.
            Probe.For(key).OpenAll();
        }
    }
}
