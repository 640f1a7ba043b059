using Bifro.Grains;
using Bifro.MqttEdge.Connection;
using Bifro.TestKit;
using Xunit;

namespace Bifro.MqttEdge.Tests.Connection;

public sealed class DecisionCacheTests
{
    private readonly ManualTimeProvider _time = new();

    [Fact]
    public void TryGet_Empty_Miss()
    {
        var cache = new DecisionCache(TimeSpan.FromSeconds(60), 16, _time);

        Assert.False(cache.TryGet(MqttActionKind.Publish, "a/b"u8, 1, false, out _));
    }

    [Fact]
    public void TryGet_AfterAdd_HitWithTheDecision()
    {
        var cache = new DecisionCache(TimeSpan.FromSeconds(60), 16, _time);
        var denied = CheckResult.Denied("no");
        cache.Add(MqttActionKind.Publish, "a/b"u8, 1, false, CheckResult.Granted);
        cache.Add(MqttActionKind.Publish, "a/c"u8, 1, false, denied);

        Assert.True(cache.TryGet(MqttActionKind.Publish, "a/b"u8, 1, false, out var granted));
        Assert.True(granted.IsGranted);
        Assert.True(cache.TryGet(MqttActionKind.Publish, "a/c"u8, 1, false, out var found));
        Assert.Same(denied, found);
    }

    [Theory]
    [InlineData(MqttActionKind.Publish, "a/b", 0, false)]
    [InlineData(MqttActionKind.Publish, "a/b", 1, true)]
    [InlineData(MqttActionKind.Subscribe, "a/b", 1, false)]
    [InlineData(MqttActionKind.Publish, "a/bc", 1, false)]
    [InlineData(MqttActionKind.Publish, "a/", 1, false)]
    public void TryGet_OtherActionTopicQoSOrRetain_Miss(MqttActionKind kind, string topic, byte qos, bool retain)
    {
        var cache = new DecisionCache(TimeSpan.FromSeconds(60), 16, _time);
        cache.Add(MqttActionKind.Publish, "a/b"u8, 1, false, CheckResult.Granted);

        Assert.False(cache.TryGet(kind, System.Text.Encoding.UTF8.GetBytes(topic), qos, retain, out _));
    }

    [Fact]
    public void TryGet_PastTtl_Miss()
    {
        var cache = new DecisionCache(TimeSpan.FromSeconds(60), 16, _time);
        cache.Add(MqttActionKind.Publish, "a"u8, 0, false, CheckResult.Granted);

        _time.Advance(TimeSpan.FromSeconds(59));
        Assert.True(cache.TryGet(MqttActionKind.Publish, "a"u8, 0, false, out _));
        _time.Advance(TimeSpan.FromSeconds(2));
        Assert.False(cache.TryGet(MqttActionKind.Publish, "a"u8, 0, false, out _));
        Assert.Equal(0, cache.Count);
    }

    [Fact]
    public void Add_TtlZero_NothingCached()
    {
        var cache = new DecisionCache(TimeSpan.Zero, 16, _time);
        cache.Add(MqttActionKind.Publish, "a"u8, 0, false, CheckResult.Granted);

        Assert.False(cache.Enabled);
        Assert.False(cache.TryGet(MqttActionKind.Publish, "a"u8, 0, false, out _));
    }

    [Fact]
    public void Add_Error_NotCached()
    {
        var cache = new DecisionCache(TimeSpan.FromSeconds(60), 16, _time);
        cache.Add(MqttActionKind.Publish, "a"u8, 0, false, CheckResult.Error("provider down"));

        Assert.False(cache.TryGet(MqttActionKind.Publish, "a"u8, 0, false, out _));
    }

    [Fact]
    public void Add_PastCapacity_StaysBounded()
    {
        var cache = new DecisionCache(TimeSpan.FromSeconds(60), 4, _time);
        for (var i = 0; i < 100; i++)
        {
            cache.Add(MqttActionKind.Publish, System.Text.Encoding.UTF8.GetBytes($"t/{i}"), 0, false, CheckResult.Granted);
        }

        Assert.InRange(cache.Count, 1, 4);
        Assert.True(cache.TryGet(MqttActionKind.Publish, "t/99"u8, 0, false, out _));
    }

    [Fact]
    public void ActionOverloads_ShareKeysWithSpanOverloads_SharedFiltersKeptApart()
    {
        var cache = new DecisionCache(TimeSpan.FromSeconds(60), 16, _time);
        cache.Add(MqttAction.Subscribe("jobs/#", 1, "workers"), CheckResult.Granted);
        cache.Add(MqttAction.Publish("x/y", 2, true), CheckResult.Denied());

        Assert.True(cache.TryGet(MqttAction.Subscribe("jobs/#", 1, "workers"), out _));
        Assert.False(cache.TryGet(MqttAction.Subscribe("jobs/#", 1), out _));
        Assert.True(cache.TryGet(MqttActionKind.Publish, "x/y"u8, 2, true, out var denied));
        Assert.False(denied.IsGranted);
    }

    [Fact]
    public void Clear_ForgetsEverything()
    {
        var cache = new DecisionCache(TimeSpan.FromSeconds(60), 16, _time);
        cache.Add(MqttActionKind.Publish, "a"u8, 0, false, CheckResult.Granted);

        cache.Clear();

        Assert.False(cache.TryGet(MqttActionKind.Publish, "a"u8, 0, false, out _));
    }

    [Fact]
    public void TryGet_Hit_AllocatesNothing()
    {
        var cache = new DecisionCache(TimeSpan.FromSeconds(60), 16, _time);
        cache.Add(MqttActionKind.Publish, "sensors/1/temp"u8, 1, false, CheckResult.Granted);
        cache.TryGet(MqttActionKind.Publish, "sensors/1/temp"u8, 1, false, out _);

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 100; i++)
        {
            cache.TryGet(MqttActionKind.Publish, "sensors/1/temp"u8, 1, false, out _);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
