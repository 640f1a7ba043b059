using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using Bifro.Runtime.Tests.Grains;
using Bifro.TestKit;
using Xunit;

namespace Bifro.Runtime.Tests.Diagnostics;

/// <summary>Trace context crosses grain calls in the request context, and calls are timed.</summary>
public sealed class TraceContextTests : IDisposable
{
    private static readonly ActivitySource Test = new("Bifro.Tests.Tracing");
    private readonly ConcurrentQueue<Activity> _stopped = new();
    private readonly ActivityListener _listener;

    public TraceContextTests()
    {
        _listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name is "Bifro.Runtime" or "Bifro.Tests.Tracing",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = _stopped.Enqueue,
        };
        ActivitySource.AddActivityListener(_listener);
    }

    public void Dispose() => _listener.Dispose();

    [Fact(Timeout = 30_000)]
    public async Task Call_InsideSpan_RunsInAChildSpanOfTheSameTrace()
    {
        await using var silo = await TestSilo.StartAsync();
        var grain = silo.GrainFactory.GetGrain<ITracingGrain>("trace-child");

        string? inside;
        ActivityContext root;
        using (var activity = Test.StartActivity("test.root")!)
        {
            root = activity.Context;
            inside = await grain.CurrentSpanAsync();
        }

        Assert.NotNull(inside);
        var context = ActivityContext.Parse(inside!, null);
        Assert.Equal(root.TraceId, context.TraceId);
        Assert.NotEqual(root.SpanId, context.SpanId);
        var server = Assert.Single(_stopped, a => a.SpanId == context.SpanId);
        Assert.Equal(root.SpanId, server.ParentSpanId);
        Assert.Equal(ActivityKind.Server, server.Kind);
        Assert.EndsWith("ITracingGrain.CurrentSpanAsync", server.DisplayName, StringComparison.Ordinal);
    }

    [Fact(Timeout = 30_000)]
    public async Task Call_FromTracedGrain_CarriesTheTraceOneHopFurther()
    {
        await using var silo = await TestSilo.StartAsync();

        string? second;
        ActivityTraceId trace;
        using (var activity = Test.StartActivity("test.root")!)
        {
            trace = activity.TraceId;
            second = await silo.GrainFactory.GetGrain<ITracingGrain>("trace-first").ForwardAsync("trace-second");
        }

        var context = ActivityContext.Parse(second!, null);
        Assert.Equal(trace, context.TraceId);
        var hop = Assert.Single(_stopped, a => a.SpanId == context.SpanId);
        var first = Assert.Single(_stopped, a => a.SpanId == hop.ParentSpanId);
        Assert.EndsWith("ForwardAsync", first.DisplayName, StringComparison.Ordinal);
    }

    [Fact(Timeout = 30_000)]
    public async Task Call_WithoutSpan_StartsNone()
    {
        await using var silo = await TestSilo.StartAsync();

        var inside = await silo.GrainFactory.GetGrain<ITracingGrain>("trace-none").CurrentSpanAsync();

        Assert.Null(inside);
    }

    [Fact(Timeout = 30_000)]
    public async Task Call_Completed_RecordsDurationByInterface()
    {
        var durations = new ConcurrentQueue<(double Seconds, string? Interface, string? Outcome)>();
        using var meters = new MeterListener();
        meters.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == "Bifro.Runtime" && instrument.Name == "bifro.grain.call.duration")
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        meters.SetMeasurementEventCallback<double>((_, value, tags, _) =>
        {
            string? @interface = null, outcome = null;
            foreach (var tag in tags)
            {
                @interface = tag.Key == "interface" ? tag.Value as string : @interface;
                outcome = tag.Key == "outcome" ? tag.Value as string : outcome;
            }

            durations.Enqueue((value, @interface, outcome));
        });
        meters.Start();
        await using var silo = await TestSilo.StartAsync();

        await silo.GrainFactory.GetGrain<ITracingGrain>("timed").CurrentSpanAsync();

        var call = Assert.Single(durations, d => d.Interface?.EndsWith("ITracingGrain", StringComparison.Ordinal) == true);
        Assert.Equal("ok", call.Outcome);
        Assert.InRange(call.Seconds, 0, 30);
    }
}
