namespace Bifro.MqttEdge.Configuration;

/// <summary>What the edge's telemetry samples; the node sets it from Bifro:Telemetry:Tracing.</summary>
public sealed class EdgeTelemetryOptions
{
    /// <summary>Trace one PUBLISH in this many per connection while tracing is on (1000 by default); 0 traces none.</summary>
    public int PublishTraceInterval { get; set; } = 1000;
}
