using Bifro.EndToEnd.Tests.Clients;
using Bifro.TestKit;
using Xunit;

namespace Bifro.EndToEnd.Tests.Admin;

/// <summary>Metrics and traces reach an OTLP/HTTP endpoint when one is configured.</summary>
[Trait("Category", "EndToEnd")]
public sealed class OtlpExportTests
{
    [Fact(Timeout = 120_000)]
    public async Task Otlp_Configured_ExportsMetricsAndConnectSubscribePublishSpans()
    {
        using var collector = new OtlpReceiver();
        await using var broker = await BrokerProcess.StartAsync(null,
            $"--Bifro:Telemetry:Otlp:Endpoint={collector.Url}",
            "--Bifro:Telemetry:Otlp:ExportInterval=00:00:00.500",
            "--Bifro:Telemetry:Tracing:PublishTraceInterval=1");
        await using var subscriber = await Mosquitto.StartSubscriberAsync(broker, "5", "-t", "otlp/test", "-q", "1", "-v");

        var published = await Mosquitto.PublishAsync(broker, "5", "-t", "otlp/test", "-m", "traced", "-q", "1");
        Assert.True(published.ExitCode == 0, published.ToString());
        await subscriber.WaitForLineAsync("otlp/test traced", Mosquitto.DefaultTimeout);

        await Eventually.TrueAsync(
            () => collector.Received("/v1/metrics", "bifro.mqtt.messages.received") && collector.Received("/v1/traces", "mqtt.publish"),
            TimeSpan.FromSeconds(30),
            "OTLP posts: " + collector.Summary);

        Assert.True(collector.Received("/v1/traces", "mqtt.connect"), collector.Summary);
        Assert.True(collector.Received("/v1/traces", "mqtt.subscribe"), collector.Summary);

        // The session grain's call from CONNECT is a child span of the same trace, exported by the runtime's source.
        Assert.True(collector.Received("/v1/traces", "Bifro.Grains.ISessionGrain.AttachAsync"), collector.Summary);
        Assert.True(collector.Received("/v1/metrics", "bifro.grain.call.duration"), collector.Summary);
    }
}
