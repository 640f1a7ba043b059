using Bifro.MqttEdge.Limits;
using Bifro.TestKit;
using Xunit;

namespace Bifro.MqttEdge.Tests.Limits;

public sealed class RateLimitTests
{
    private const long Frequency = TimeSpan.TicksPerSecond;

    [Theory]
    [InlineData(1)]
    [InlineData(5)]
    [InlineData(200)]
    public void TryAcquire_BurstOfOneSecondsWorth_ThenRefused(int perSecond)
    {
        var limit = default(RateLimit);
        const long now = 1_000_000;

        for (var i = 0; i < perSecond; i++)
        {
            Assert.True(limit.TryAcquire(now, perSecond, Frequency), $"event {i}");
        }

        Assert.False(limit.TryAcquire(now, perSecond, Frequency));
    }

    [Fact]
    public void TryAcquire_SteadyAtTheRate_NeverRefused()
    {
        var limit = default(RateLimit);
        var now = 1_000_000L;

        for (var i = 0; i < 1000; i++)
        {
            Assert.True(limit.TryAcquire(now, 10, Frequency), $"event {i}");
            now += Frequency / 10;
        }
    }

    [Fact]
    public void TryAcquire_AfterTheBurst_OneMorePerInterval()
    {
        var limit = default(RateLimit);
        var now = 1_000_000L;
        for (var i = 0; i < 4; i++)
        {
            limit.TryAcquire(now, 4, Frequency);
        }

        Assert.False(limit.TryAcquire(now + (Frequency / 8), 4, Frequency));
        Assert.True(limit.TryAcquire(now + (Frequency / 4), 4, Frequency));
        Assert.False(limit.TryAcquire(now + (Frequency / 4), 4, Frequency));
    }

    [Fact]
    public void TryAcquire_RefusedEventsDoNotCount()
    {
        var limit = default(RateLimit);
        const long now = 1_000_000;
        Assert.True(limit.TryAcquire(now, 1, Frequency));
        for (var i = 0; i < 100; i++)
        {
            Assert.False(limit.TryAcquire(now, 1, Frequency));
        }

        Assert.True(limit.TryAcquire(now + Frequency, 1, Frequency));
    }

    [Fact]
    public void TenantConnectRate_PerTenant()
    {
        var time = new ManualTimeProvider();
        var rate = new TenantConnectRate(time);

        Assert.True(rate.TryAcquire("acme", 2));
        Assert.True(rate.TryAcquire("acme", 2));
        Assert.False(rate.TryAcquire("acme", 2));
        Assert.True(rate.TryAcquire("globex", 2));
        time.Advance(TimeSpan.FromSeconds(0.5));
        Assert.True(rate.TryAcquire("acme", 2));
        Assert.False(rate.TryAcquire("acme", 2));
    }
}
