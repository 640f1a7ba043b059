using System.Diagnostics.Metrics;
using Bifro.Silo.Telemetry;
using Xunit;

namespace Bifro.Silo.Tests.Telemetry;

/// <summary>The text exposition: names, types, labels, histogram buckets, observables read at each scrape.</summary>
public sealed class PrometheusExporterTests
{
    [Fact(Timeout = 10_000)]
    public async Task Collect_Counter_WritesTotalWithLabelsAndType()
    {
        await Task.Yield();
        using var meter = new Meter("Bifro.Tests.Counter" + Guid.NewGuid().ToString("N"));
        var counter = meter.CreateCounter<long>("bifro.test.things", "{thing}", "Things \"counted\".");
        using var exporter = new PrometheusExporter();

        counter.Add(2, new KeyValuePair<string, object?>("kind", "a\"b"));
        counter.Add(3, new KeyValuePair<string, object?>("kind", "a\"b"));
        counter.Add(1, new KeyValuePair<string, object?>("kind", "c"));
        var text = exporter.Collect();

        Assert.Contains("# TYPE bifro_test_things_total counter\n", text, StringComparison.Ordinal);
        Assert.Contains("# HELP bifro_test_things_total Things \"counted\".\n", text, StringComparison.Ordinal);
        Assert.Contains("bifro_test_things_total{kind=\"a\\\"b\"} 5\n", text, StringComparison.Ordinal);
        Assert.Contains("bifro_test_things_total{kind=\"c\"} 1\n", text, StringComparison.Ordinal);
    }

    [Fact(Timeout = 10_000)]
    public async Task Collect_SecondsHistogram_CumulativeBucketsSumAndCount()
    {
        await Task.Yield();
        using var meter = new Meter("Bifro.Tests.Histogram" + Guid.NewGuid().ToString("N"));
        var histogram = meter.CreateHistogram<double>("bifro.test.latency", "s");
        using var exporter = new PrometheusExporter();

        histogram.Record(0.0002);
        histogram.Record(0.003);
        histogram.Record(20);
        var text = exporter.Collect();

        Assert.Contains("# TYPE bifro_test_latency_seconds histogram\n", text, StringComparison.Ordinal);
        Assert.Contains("bifro_test_latency_seconds_bucket{le=\"0.0001\"} 0\n", text, StringComparison.Ordinal);
        Assert.Contains("bifro_test_latency_seconds_bucket{le=\"0.00025\"} 1\n", text, StringComparison.Ordinal);
        Assert.Contains("bifro_test_latency_seconds_bucket{le=\"0.005\"} 2\n", text, StringComparison.Ordinal);
        Assert.Contains("bifro_test_latency_seconds_bucket{le=\"10\"} 2\n", text, StringComparison.Ordinal);
        Assert.Contains("bifro_test_latency_seconds_bucket{le=\"+Inf\"} 3\n", text, StringComparison.Ordinal);
        Assert.Contains("bifro_test_latency_seconds_count 3\n", text, StringComparison.Ordinal);
        Assert.Contains("bifro_test_latency_seconds_sum 20.0032", text, StringComparison.Ordinal);
    }

    [Fact(Timeout = 10_000)]
    public async Task Collect_Observables_ReadAtEachScrape_GoneSeriesDisappear()
    {
        await Task.Yield();
        using var meter = new Meter("Bifro.Tests.Observable" + Guid.NewGuid().ToString("N"));
        var tenants = new Dictionary<string, long> { ["a"] = 3, ["b"] = 4 };
        meter.CreateObservableUpDownCounter("bifro.test.connections", () => tenants.Select(t => new Measurement<long>(t.Value, new KeyValuePair<string, object?>("tenant", t.Key))).ToArray());
        meter.CreateObservableCounter("bifro.test.bytes", () => 1024L, "By");
        using var exporter = new PrometheusExporter();

        var first = exporter.Collect();
        tenants.Remove("b");
        tenants["a"] = 7;
        var second = exporter.Collect();

        Assert.Contains("# TYPE bifro_test_connections gauge\n", first, StringComparison.Ordinal);
        Assert.Contains("bifro_test_connections{tenant=\"b\"} 4\n", first, StringComparison.Ordinal);
        Assert.Contains("bifro_test_bytes_total 1024\n", first, StringComparison.Ordinal);
        Assert.Contains("bifro_test_connections{tenant=\"a\"} 7\n", second, StringComparison.Ordinal);
        Assert.DoesNotContain("tenant=\"b\"", second, StringComparison.Ordinal);
    }

    [Fact(Timeout = 10_000)]
    public async Task Collect_OtherMeters_LeftOut()
    {
        await Task.Yield();
        using var meter = new Meter("Somebody.Else");
        var counter = meter.CreateCounter<long>("somebody.else.things");
        using var exporter = new PrometheusExporter();

        counter.Add(1);

        Assert.DoesNotContain("somebody_else", exporter.Collect(), StringComparison.Ordinal);
    }
}
