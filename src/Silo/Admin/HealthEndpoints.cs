using Bifro.Runtime.Management;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Bifro.Silo.Admin;

/// <summary>
/// /health/live: the process answers (a liveness probe restarts it otherwise). /health/ready: the node has
/// started its listeners, is not stopping, and its silo is Active in the membership (an edge-only node: it
/// sees an active silo), so a load balancer may send it clients. Both answer without credentials.
/// </summary>
internal static class HealthEndpoints
{
    public static void Map(WebApplication app)
    {
        app.MapGet("/health/live", () => Results.Json(new HealthReport("ok", new Dictionary<string, string> { ["process"] = "responsive" }), AdminJsonContext.Default.HealthReport));
        app.MapGet("/health/ready", (IServiceProvider services) =>
        {
            var report = Readiness(services);
            return Results.Json(report, AdminJsonContext.Default.HealthReport, statusCode: report.Status == "ok" ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable);
        });
    }

    public static HealthReport Readiness(IServiceProvider services)
    {
        var lifetime = services.GetRequiredService<IHostApplicationLifetime>();
        var management = services.GetRequiredService<ManagementClient>();
        var started = lifetime.ApplicationStarted.IsCancellationRequested;
        var stopping = lifetime.ApplicationStopping.IsCancellationRequested;
        var active = management.IsActive;
        var checks = new Dictionary<string, string>
        {
            ["listeners"] = stopping ? "stopping" : started ? "started" : "starting",
            ["membership"] = active ? "active" : "not active",
        };
        return new HealthReport(started && !stopping && active ? "ok" : "unavailable", checks);
    }
}
