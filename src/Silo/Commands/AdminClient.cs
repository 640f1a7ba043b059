using System.Net.Http.Headers;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Bifro.Silo.Commands;

/// <summary>
/// The HTTP side of <c>bifro admin</c>: one call to a node's admin API, its JSON printed indented, or the
/// problem it answered printed as "status title: detail" with exit code 1.
/// </summary>
internal sealed class AdminClient : IDisposable
{
    private readonly HttpClient _http;

    public AdminClient(string url, string? token, string? certificatePath, string? keyPath, string? caPath, TimeSpan timeout)
    {
        var handler = new HttpClientHandler();
        if (certificatePath is not null)
        {
            // Mutual TLS: the admin endpoint asks for a certificate signed by its client CA.
            var certificate = X509Certificate2.CreateFromPemFile(certificatePath, keyPath);
            handler.ClientCertificates.Add(X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pkcs12), null));
        }

        if (caPath is not null)
        {
            // A node's own CA (not the system's): the server certificate must chain to it.
            var roots = new X509Certificate2Collection();
            roots.ImportFromPemFile(caPath);
            handler.ServerCertificateCustomValidationCallback = (_, certificate, chain, errors) =>
            {
                if (certificate is null || (errors & ~SslPolicyErrors.RemoteCertificateChainErrors) != SslPolicyErrors.None)
                {
                    return false;
                }

                using var custom = new X509Chain();
                custom.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
                custom.ChainPolicy.CustomTrustStore.AddRange(roots);
                custom.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
                return custom.Build(certificate);
            };
        }

        _http = new HttpClient(handler) { BaseAddress = new Uri(url.TrimEnd('/') + "/"), Timeout = timeout };
        if (token is not null)
        {
            _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
    }

    /// <summary>Sends the call; prints the answer to <paramref name="output"/> or the problem to <paramref name="error"/>. Returns the exit code.</summary>
    public async Task<int> SendAsync(HttpMethod method, string path, JsonObject? body, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, path.TrimStart('/'));
        if (body is not null)
        {
            request.Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
        }

        HttpResponseMessage response;
        try
        {
            response = await _http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException exception)
        {
            await error.WriteLineAsync($"admin: cannot reach {_http.BaseAddress}: {exception.Message}").ConfigureAwait(false);
            return 1;
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            await error.WriteLineAsync($"admin: {_http.BaseAddress} did not answer within {_http.Timeout.TotalSeconds:0} s").ConfigureAwait(false);
            return 1;
        }

        using (response)
        {
            var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                await error.WriteLineAsync($"admin: {(int)response.StatusCode} {Describe(text, response.ReasonPhrase)}").ConfigureAwait(false);
                return 1;
            }

            await output.WriteLineAsync(Indent(text)).ConfigureAwait(false);
            return 0;
        }
    }

    public void Dispose() => _http.Dispose();

    private static string Describe(string text, string? reason)
    {
        try
        {
            if (JsonNode.Parse(text) is JsonObject problem && problem["detail"] is { } detail)
            {
                return $"{problem["title"]}: {detail}";
            }
        }
        catch (JsonException)
        {
        }

        return string.IsNullOrWhiteSpace(text) ? reason ?? string.Empty : text;
    }

    private static string Indent(string text)
    {
        try
        {
            return JsonNode.Parse(text)?.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) ?? text;
        }
        catch (JsonException)
        {
            return text;
        }
    }
}
