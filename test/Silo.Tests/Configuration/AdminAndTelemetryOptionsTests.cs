using Bifro.Silo.Configuration;
using Microsoft.Extensions.Configuration;
using Xunit;

namespace Bifro.Silo.Tests.Configuration;

/// <summary>Bifro:Admin and Bifro:Telemetry: validated with the key named, and known to the settings catalog.</summary>
public sealed class AdminAndTelemetryOptionsTests
{
    [Theory(Timeout = 10_000)]
    [InlineData("Bifro:Admin:Enabled", true)]
    [InlineData("Bifro:Admin:Endpoint", true)]
    [InlineData("Bifro:Admin:Tokens:0", true)]
    [InlineData("Bifro:Admin:Tls:Certificate:KeyPath", true)]
    [InlineData("Bifro:Admin:Tls:ClientCaPath", true)]
    [InlineData("Bifro:Admin:RequestTimeout", true)]
    [InlineData("Bifro:Admin:Token", false)]
    [InlineData("Bifro:Telemetry:Otlp:Endpoint", true)]
    [InlineData("Bifro:Telemetry:Otlp:Headers", true)]
    [InlineData("Bifro:Telemetry:Tracing:PublishTraceInterval", true)]
    [InlineData("Bifro:Telemetry:Tracing:SampleRatio", true)]
    [InlineData("Bifro:Telemetry:Prometheus", true)]
    [InlineData("Bifro:Telemetry:Otlp:Url", false)]
    public async Task Exists_AdminAndTelemetryKeys(string key, bool expected)
    {
        await Task.Yield();
        Assert.Equal(expected, SettingsCatalog.Exists(key));
    }

    [Theory(Timeout = 10_000)]
    [InlineData("0.0.0.0:8091")]
    [InlineData("[::]:8091")]
    [InlineData("10.1.2.3:8091")]
    public async Task Read_BeyondLoopbackWithoutCredentials_NamesTheTokensKey(string endpoint)
    {
        await Task.Yield();
        var errors = Read(("Bifro:Admin:Enabled", "true"), ("Bifro:Admin:Endpoint", endpoint));

        Assert.Contains(errors, e => e.StartsWith("Bifro:Admin:Tokens (or Bifro:Admin:Tls:ClientCaPath) is required", StringComparison.Ordinal) && e.Contains(endpoint, StringComparison.Ordinal));
    }

    [Theory(Timeout = 10_000)]
    [InlineData("127.0.0.1:8091")]
    [InlineData("[::1]:0")]
    public async Task Read_LoopbackWithoutCredentials_Accepted(string endpoint)
    {
        await Task.Yield();
        Assert.Empty(Read(("Bifro:Admin:Enabled", "true"), ("Bifro:Admin:Endpoint", endpoint)));
    }

    [Fact(Timeout = 10_000)]
    public async Task Read_BeyondLoopbackWithToken_Accepted()
    {
        await Task.Yield();
        Assert.Empty(Read(("Bifro:Admin:Enabled", "true"), ("Bifro:Admin:Endpoint", "0.0.0.0:8091"), ("Bifro:Admin:Tokens:0", "a-long-enough-token-123")));
    }

    [Theory(Timeout = 10_000)]
    [InlineData("Bifro:Admin:Endpoint", "localhost:8091", "Bifro:Admin:Endpoint")]
    [InlineData("Bifro:Admin:Endpoint", "127.0.0.1", "Bifro:Admin:Endpoint")]
    [InlineData("Bifro:Admin:Tokens:0", "short", "Bifro:Admin:Tokens:0")]
    [InlineData("Bifro:Admin:Tls:ClientCaPath", "/nowhere/ca.pem", "Bifro:Admin:Tls:ClientCaPath needs Bifro:Admin:Tls:Enabled")]
    [InlineData("Bifro:Admin:Tls:Enabled", "true", "Bifro:Admin:Tls:Certificate:Path is required")]
    [InlineData("Bifro:Admin:RequestTimeout", "00:00:00", "Bifro:Admin:RequestTimeout")]
    [InlineData("Bifro:Telemetry:Otlp:Endpoint", "collector:4318", "Bifro:Telemetry:Otlp:Endpoint")]
    [InlineData("Bifro:Telemetry:Otlp:Protocol", "thrift", "Bifro:Telemetry:Otlp:Protocol")]
    [InlineData("Bifro:Telemetry:Otlp:Headers", "no-equals-sign", "Bifro:Telemetry:Otlp:Headers")]
    [InlineData("Bifro:Telemetry:Tracing:SampleRatio", "1.5", "Bifro:Telemetry:Tracing:SampleRatio")]
    [InlineData("Bifro:Telemetry:Tracing:PublishTraceInterval", "-1", "Bifro:Telemetry:Tracing:PublishTraceInterval")]
    public async Task Read_BadValue_NamesTheKey(string key, string value, string expected)
    {
        await Task.Yield();
        var errors = Read(("Bifro:Admin:Enabled", "true"), (key, value));

        Assert.Contains(errors, e => e.Contains(expected, StringComparison.Ordinal));
    }

    [Fact(Timeout = 10_000)]
    public async Task Read_AdminDisabled_EndpointNotChecked()
    {
        await Task.Yield();
        Assert.Empty(Read(("Bifro:Admin:Endpoint", "0.0.0.0:8091")));
    }

    private static List<string> Read(params (string Key, string Value)[] settings)
    {
        var errors = new List<string>();
        var values = new List<KeyValuePair<string, string?>> { new("Bifro:Auth:Provider", "allow-all") };
        foreach (var (key, value) in settings)
        {
            values.Add(new(key, value));
        }

        NodeSettings.Read(new ConfigurationBuilder().AddInMemoryCollection(values).Build(), errors);
        return errors;
    }
}
