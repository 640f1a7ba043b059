using Bifro.Runtime.Messaging;
using Bifro.Silo.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Bifro.Silo.Telemetry;

/// <summary>
/// Exports metrics and traces to an OpenTelemetry collector (Bifro:Telemetry:Otlp:Endpoint), from the node's
/// start to its stop; the last batch is flushed on stop. Only "Bifro.*" and System.Runtime meters and "Bifro.*"
/// activity sources are exported, so the broker pays for what it reports and no more.
/// </summary>
internal sealed partial class OtlpTelemetry(TelemetryOptions options, ILocalSiloDetails node, ILogger<OtlpTelemetry> logger) : IHostedService, IDisposable
{
    private MeterProvider? _meters;
    private TracerProvider? _traces;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        var otlp = options.Otlp;
        var resource = ResourceBuilder.CreateDefault().AddService(options.ServiceName, serviceInstanceId: node.NodeIdentity);
        _meters = Sdk.CreateMeterProviderBuilder()
            .SetResourceBuilder(resource)
            .AddMeter("Bifro.*", "System.Runtime")
            .AddOtlpExporter((exporter, reader) =>
            {
                Configure(exporter, "v1/metrics");
                reader.PeriodicExportingMetricReaderOptions.ExportIntervalMilliseconds = (int)otlp.ExportInterval.TotalMilliseconds;
                reader.TemporalityPreference = MetricReaderTemporalityPreference.Cumulative;
            })
            .Build();
        if (options.Tracing.Enabled)
        {
            // A traced caller's decision holds; a new trace (a CONNECT, a SUBSCRIBE, a sampled PUBLISH) is
            // sampled at SampleRatio.
            _traces = Sdk.CreateTracerProviderBuilder()
                .SetResourceBuilder(resource)
                .AddSource("Bifro.*")
                .SetSampler(new ParentBasedSampler(new TraceIdRatioBasedSampler(options.Tracing.SampleRatio)))
                .AddOtlpExporter(exporter => Configure(exporter, "v1/traces"))
                .Build();
        }

        LogExporting(otlp.Endpoint!, otlp.Protocol, options.Tracing.Enabled);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        _traces?.ForceFlush(2000);
        _meters?.ForceFlush(2000);
        return Task.CompletedTask;
    }

    public void Dispose()
    {
        _traces?.Dispose();
        _meters?.Dispose();
    }

    private void Configure(OtlpExporterOptions exporter, string signalPath)
    {
        var otlp = options.Otlp;
        var grpc = otlp.Protocol == "grpc";
        exporter.Protocol = grpc ? OtlpExportProtocol.Grpc : OtlpExportProtocol.HttpProtobuf;

        // Over HTTP the exporter posts to the endpoint as given, so the signal's path is added here; gRPC takes the base.
        var baseUri = otlp.Endpoint!.TrimEnd('/');
        exporter.Endpoint = new Uri(grpc ? baseUri : $"{baseUri}/{signalPath}");
        exporter.TimeoutMilliseconds = (int)otlp.Timeout.TotalMilliseconds;
        if (otlp.Headers is { } headers)
        {
            exporter.Headers = headers;
        }
    }

    [LoggerMessage(1, LogLevel.Information, "Exporting telemetry to {Endpoint} over OTLP ({Protocol}); traces: {Tracing}")]
    private partial void LogExporting(string endpoint, string protocol, bool tracing);
}
