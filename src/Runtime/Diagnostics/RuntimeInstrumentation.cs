using System.Collections.Immutable;
using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Bifro.Runtime.Diagnostics;

/// <summary>
/// The runtime's meter and activity source. The instruments here are recorded where no service provider is at
/// hand (a call's completion), so they are static; per-silo gauges are in <see cref="RuntimeMetrics"/>.
/// Trace context crosses grain calls in <see cref="RequestContext"/> under the W3C names, so it survives
/// the hop between silos like any other request-context value.
/// </summary>
internal static class RuntimeInstrumentation
{
    public const string Name = "Bifro.Runtime";

    /// <summary>W3C trace context, as a request-context key.</summary>
    public const string TraceParentKey = "traceparent";

    public const string TraceStateKey = "tracestate";

    public static readonly Meter Meter = new(Name);

    public static readonly ActivitySource ActivitySource = new(Name);

    /// <summary>From the call being sent until its response (or failure) arrives, at the caller.</summary>
    public static readonly Histogram<double> GrainCallDuration = Meter.CreateHistogram<double>(
        "bifro.grain.call.duration", "s", "Grain and observer calls, from send to response, at the caller; tagged by interface.");

    /// <summary>The request context for a message: the caller's, plus the current activity's trace context when there is one.</summary>
    public static ImmutableDictionary<string, object>? ExportWithTrace(ImmutableDictionary<string, object>? context)
    {
        // Activity.Current is set only while a sampled span runs: without a listener nothing is added, and an
        // untraced call costs this one read.
        if (Activity.Current is not { IdFormat: ActivityIdFormat.W3C, Id: { } id } activity)
        {
            return context;
        }

        var values = (context ?? ImmutableDictionary<string, object>.Empty.WithComparers(StringComparer.Ordinal)).SetItem(TraceParentKey, id);
        return activity.TraceStateString is { } state ? values.SetItem(TraceStateKey, state) : values;
    }

    /// <summary>A server span for a call that carries trace context; null when untraced or nobody listens.</summary>
    public static Activity? StartIncoming(ImmutableDictionary<string, object>? context, Serialization.Invocation.RequestBase request)
    {
        if (context is null || !context.TryGetValue(TraceParentKey, out var parent) || parent is not string traceParent || !ActivitySource.HasListeners())
        {
            return null;
        }

        var traceState = context.TryGetValue(TraceStateKey, out var state) ? state as string : null;
        if (!ActivityContext.TryParse(traceParent, traceState, isRemote: true, out var parentContext))
        {
            return null;
        }

        var activity = ActivitySource.StartActivity(request.ToString(), ActivityKind.Server, parentContext);
        activity?.SetTag("rpc.system", "bifro");
        activity?.SetTag("rpc.service", request.GetInterfaceName());
        activity?.SetTag("rpc.method", request.GetMethodName());
        return activity;
    }

    /// <summary>Ends a span from <see cref="StartIncoming"/>, marked failed when the call threw.</summary>
    public static void StopIncoming(Activity? activity, Serialization.Invocation.Response response)
    {
        if (activity is null)
        {
            return;
        }

        if (response.Exception is { } exception)
        {
            activity.SetStatus(ActivityStatusCode.Error, exception.Message);
        }

        activity.Dispose();
    }

    /// <summary>Records a completed call's duration, from its start timestamp, if anyone listens.</summary>
    public static void RecordCall(long startTimestamp, Serialization.Invocation.RequestBase request, bool failed)
    {
        if (!GrainCallDuration.Enabled)
        {
            return;
        }

        var tags = new TagList
        {
            { "interface", request.GetInterfaceName() },
            { "outcome", failed ? "error" : "ok" },
        };
        GrainCallDuration.Record(Stopwatch.GetElapsedTime(startTimestamp).TotalSeconds, tags);
    }
}
