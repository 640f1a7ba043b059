using System.Globalization;
using Bifro.TestKit;

namespace Bifro.EndToEnd.Tests.Clients;

/// <summary>The status code and body of one HTTP call.</summary>
internal sealed record CurlResponse(int Status, string Body, string Raw);

/// <summary>curl against a node's admin endpoint: the client a load balancer, a script or an operator would use.</summary>
internal static class Curl
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(30);

    /// <summary>Runs curl with <paramref name="arguments"/> (the URL among them); the status comes from -w.</summary>
    public static async Task<CurlResponse> RunAsync(params string[] arguments)
    {
        var result = await ExternalProcess.RunAsync("curl", ["-sS", "--max-time", "20", "-w", "\n%{http_code}", .. arguments], DefaultTimeout);
        var output = result.StandardOutput.TrimEnd('\n', '\r');
        var newline = output.LastIndexOf('\n');
        var statusText = newline < 0 ? output : output[(newline + 1)..];
        var status = int.TryParse(statusText, NumberStyles.Integer, CultureInfo.InvariantCulture, out var code) ? code : -1;
        return new CurlResponse(status, newline < 0 ? string.Empty : output[..newline], result.ToString());
    }

    public static Task<CurlResponse> GetAsync(string url, string? token = null) =>
        RunAsync([.. Authorization(token), url]);

    public static Task<CurlResponse> SendAsync(string method, string url, string? token = null, string? json = null) =>
        RunAsync([.. Authorization(token), "-X", method, .. json is null ? Array.Empty<string>() : ["-H", "Content-Type: application/json", "--data-binary", json], url]);

    private static string[] Authorization(string? token) => token is null ? [] : ["-H", "Authorization: Bearer " + token];
}
