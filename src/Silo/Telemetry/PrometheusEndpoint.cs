using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Bifro.Silo.Telemetry;

/// <summary>GET /metrics on the admin endpoint.</summary>
internal static class PrometheusEndpoint
{
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    public static Task WriteAsync(HttpContext context)
    {
        var text = context.RequestServices.GetRequiredService<PrometheusExporter>().Collect();
        context.Response.ContentType = ContentType;
        return context.Response.WriteAsync(text, context.RequestAborted);
    }
}
