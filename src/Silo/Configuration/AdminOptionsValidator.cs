using System.Net;
using Microsoft.Extensions.Options;

namespace Bifro.Silo.Configuration;

/// <summary>
/// Checks Bifro:Admin, naming the key at fault. An endpoint beyond loopback needs a credential (a token or a
/// client CA): an open admin API on the network could kick every client and read every retained message.
/// </summary>
internal sealed class AdminOptionsValidator : IValidateOptions<AdminOptions>
{
    public const int MinimumTokenLength = 16;

    public ValidateOptionsResult Validate(string? name, AdminOptions options)
    {
        const string a = AdminOptions.SectionName;
        var errors = new List<string>();
        if (!options.Enabled)
        {
            return ValidateOptionsResult.Success;
        }

        if (!TryParseEndpoint(options.Endpoint, out var endpoint))
        {
            errors.Add($"{a}:Endpoint '{options.Endpoint}' must be an IP address and port, such as 127.0.0.1:8091 or [::1]:8091.");
        }

        for (var i = 0; i < options.Tokens.Count; i++)
        {
            var token = options.Tokens[i];
            if (token is null || token.Length < MinimumTokenLength || token.Any(char.IsWhiteSpace))
            {
                // The token itself stays out of the message: it may be close to a real one.
                errors.Add($"{a}:Tokens:{i} must be at least {MinimumTokenLength} characters without spaces.");
            }
        }

        var tls = options.Tls;
        if (tls.Enabled)
        {
            RequireFile(tls.Certificate.Path, $"{a}:Tls:Certificate:Path", required: true, errors);
            RequireFile(tls.Certificate.KeyPath, $"{a}:Tls:Certificate:KeyPath", required: false, errors);
            RequireFile(tls.ClientCaPath, $"{a}:Tls:ClientCaPath", required: false, errors);
        }
        else if (tls.ClientCaPath is not null)
        {
            errors.Add($"{a}:Tls:ClientCaPath needs {a}:Tls:Enabled=true: client certificates come with TLS.");
        }

        if (endpoint is not null && !IPAddress.IsLoopback(endpoint.Address) && options.Tokens.Count == 0 && tls.ClientCaPath is null)
        {
            errors.Add($"{a}:Tokens (or {a}:Tls:ClientCaPath) is required: {a}:Endpoint '{options.Endpoint}' is not a loopback address, and an admin API without credentials may only listen on loopback.");
        }

        if (options.RequestTimeout <= TimeSpan.Zero)
        {
            errors.Add($"{a}:RequestTimeout must be positive.");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    public static bool TryParseEndpoint(string? value, out IPEndPoint? endpoint)
    {
        endpoint = null;
        return value is not null && IPEndPoint.TryParse(value, out endpoint) && value.Contains(':') && endpoint.Port is >= 0 and <= 65535
            && (value.LastIndexOf(':') > value.LastIndexOf(']'));
    }

    private static void RequireFile(string? path, string key, bool required, List<string> errors)
    {
        if (path is null)
        {
            if (required)
            {
                errors.Add($"{key} is required when {AdminOptions.SectionName}:Tls:Enabled is true.");
            }
        }
        else if (!File.Exists(path))
        {
            errors.Add($"{key} '{path}' does not exist.");
        }
    }
}
