namespace Bifro.Silo.Configuration;

/// <summary>
/// Metrics and traces. Section "Bifro:Telemetry". Prometheus text on the admin port's /metrics whenever the
/// admin API is enabled; OTLP export only when <see cref="OtlpTelemetryOptions.Endpoint"/> is set.
/// </summary>
public sealed class TelemetryOptions
{
    public const string SectionName = "Bifro:Telemetry";

    /// <summary>The service.name resource attribute of exported telemetry ("bifro" by default).</summary>
    public string ServiceName { get; set; } = "bifro";

    public OtlpTelemetryOptions Otlp { get; set; } = new();

    public TracingOptions Tracing { get; set; } = new();

    /// <summary>Serve /metrics on the admin endpoint (true by default).</summary>
    public bool Prometheus { get; set; } = true;
}

/// <summary>Section "Bifro:Telemetry:Otlp": the OpenTelemetry collector metrics and traces go to.</summary>
public sealed class OtlpTelemetryOptions
{
    /// <summary>
    /// The collector's base URL ("http://collector:4318"); metrics go to /v1/metrics and traces to /v1/traces
    /// under it (http/protobuf). None by default: nothing is exported.
    /// </summary>
    public string? Endpoint { get; set; }

    /// <summary>"http/protobuf" (the default) or "grpc".</summary>
    public string Protocol { get; set; } = "http/protobuf";

    /// <summary>Headers sent with every export, "name=value,name2=value2" (an API key, say); none by default.</summary>
    public string? Headers { get; set; }

    /// <summary>How often metrics are exported (15 seconds by default).</summary>
    public TimeSpan ExportInterval { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>How long one export may take (10 seconds by default).</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);
}

/// <summary>Section "Bifro:Telemetry:Tracing": spans, exported over OTLP.</summary>
public sealed class TracingOptions
{
    /// <summary>Trace when an OTLP endpoint is set (true by default).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>The share of CONNECT and SUBSCRIBE (root spans) that are sampled, 0 to 1 (1 by default); a traced caller's spans follow its decision.</summary>
    public double SampleRatio { get; set; } = 1.0;

    /// <summary>Trace one PUBLISH in this many per connection (1000 by default); 0 traces none.</summary>
    public int PublishTraceInterval { get; set; } = 1000;
}
