using Microsoft.Extensions.Options;

namespace Bifro.Silo.Configuration;

/// <summary>Checks Bifro:Telemetry, naming the key at fault.</summary>
internal sealed class TelemetryOptionsValidator : IValidateOptions<TelemetryOptions>
{
    public ValidateOptionsResult Validate(string? name, TelemetryOptions options)
    {
        const string t = TelemetryOptions.SectionName;
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(options.ServiceName))
        {
            errors.Add($"{t}:ServiceName must not be empty.");
        }

        var otlp = options.Otlp;
        if (otlp.Endpoint is { } endpoint
            && (!Uri.TryCreate(endpoint, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https")))
        {
            errors.Add($"{t}:Otlp:Endpoint '{endpoint}' must be an http or https URL, such as http://collector:4318.");
        }

        if (otlp.Protocol is not ("http/protobuf" or "grpc"))
        {
            errors.Add($"{t}:Otlp:Protocol '{otlp.Protocol}' must be 'http/protobuf' or 'grpc'.");
        }

        if (otlp.Headers is { } headers)
        {
            foreach (var pair in headers.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                if (pair.IndexOf('=') <= 0)
                {
                    errors.Add($"{t}:Otlp:Headers must be 'name=value' pairs separated by commas.");
                    break;
                }
            }
        }

        if (otlp.ExportInterval < TimeSpan.FromMilliseconds(100))
        {
            errors.Add($"{t}:Otlp:ExportInterval must be at least 100 milliseconds.");
        }

        if (otlp.Timeout <= TimeSpan.Zero)
        {
            errors.Add($"{t}:Otlp:Timeout must be positive.");
        }

        if (options.Tracing.SampleRatio is < 0 or > 1 || double.IsNaN(options.Tracing.SampleRatio))
        {
            errors.Add($"{t}:Tracing:SampleRatio {options.Tracing.SampleRatio} must be between 0 and 1.");
        }

        if (options.Tracing.PublishTraceInterval < 0)
        {
            errors.Add($"{t}:Tracing:PublishTraceInterval must be 0 (no PUBLISH traced) or more.");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
