using Bifro.Silo.Configuration;
using Bifro.Silo.Telemetry;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Bifro.Silo.Admin;

/// <summary>
/// The admin API's routes: JSON in and out, errors as RFC 9457 problem details (application/problem+json)
/// whose "detail" says what to change. /health/* need no credential; everything else passes
/// <see cref="AdminAuthentication"/>.
/// </summary>
internal static partial class AdminEndpoints
{
    public static void Map(WebApplication app, AdminOptions options, TelemetryOptions telemetry)
    {
        var authentication = new AdminAuthentication(options);
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Bifro.Admin");
        app.Use(async (context, next) =>
        {
            if (!context.Request.Path.StartsWithSegments("/health") && authentication.Check(context) is { } refusal)
            {
                context.Response.Headers.WWWAuthenticate = "Bearer realm=\"bifro-admin\"";
                await Problem(StatusCodes.Status401Unauthorized, "Unauthorized", refusal).ExecuteAsync(context).ConfigureAwait(false);
                return;
            }

            await next(context).ConfigureAwait(false);
        });

        HealthEndpoints.Map(app);
        if (telemetry.Prometheus)
        {
            app.MapGet("/metrics", PrometheusEndpoint.WriteAsync);
        }

        var api = app.MapGroup("/api");
        api.AddEndpointFilter(async (context, next) =>
        {
            try
            {
                return await next(context).ConfigureAwait(false);
            }
            catch (AdminProblemException problem)
            {
                return Problem(problem.StatusCode, problem.Title, problem.Message);
            }
            catch (TimeoutException exception)
            {
                return Problem(StatusCodes.Status504GatewayTimeout, "Timed out", exception.Message);
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                LogCallFailed(logger, exception, context.HttpContext.Request.Method, context.HttpContext.Request.Path);
                return Problem(StatusCodes.Status500InternalServerError, "Failed", $"{exception.GetType().Name}: {exception.Message}");
            }
        });

        api.MapGet("/sessions", (AdminService admin, string? tenant, int? limit) => admin.ListSessionsAsync(tenant, limit));
        api.MapGet("/sessions/{tenant}/{**clientId}", (AdminService admin, string tenant, string clientId) => admin.GetSessionAsync(tenant, clientId));
        api.MapDelete("/sessions/{tenant}/{**clientId}", (AdminService admin, string tenant, string clientId) => admin.ExpireSessionAsync(tenant, clientId));
        api.MapPost("/kick", (AdminService admin, KickRequest? request) => admin.KickAsync(request));
        api.MapGet("/bans", (AdminService admin, string? tenant, bool? cluster) => admin.ListBansAsync(tenant, cluster ?? false));
        api.MapPost("/bans", async (AdminService admin, BanAddRequest? request) =>
        {
            var ban = await admin.AddBanAsync(request).ConfigureAwait(false);
            return Results.Created($"/api/bans/{Uri.EscapeDataString(ban.Id)}", ban);
        });
        api.MapDelete("/bans/{id}", (AdminService admin, string id, string? tenant, bool? cluster) => admin.RemoveBanAsync(id, tenant, cluster ?? false));
        api.MapPost("/publish", (AdminService admin, PublishRequest? request) => admin.PublishAsync(request));
        api.MapGet("/retained", (AdminService admin, string? tenant, string? filter, int? limit) => admin.GetRetainedAsync(tenant, filter, limit));
        api.MapDelete("/retained", (AdminService admin, string? tenant, string? topic, string? filter, int? limit) => admin.ClearRetainedAsync(tenant, topic, filter, limit));
        api.MapGet("/cluster/members", (AdminService admin) => admin.GetCluster());
        api.MapGet("/tenants/{tenant}/settings", (AdminService admin, string tenant) => admin.GetTenantSettingsAsync(tenant));
        api.MapPut("/tenants/{tenant}/settings", (string tenant) => Problem(
            StatusCodes.Status405MethodNotAllowed,
            "Read-only settings",
            $"Tenant settings come from configuration (Bifro:Tenants:{tenant}:*), which this node only reads: change it there (it is reloaded) or use a setting provider plugin."));

        // Anything else under /api: a problem body rather than an empty 404.
        api.Map("/{**rest}", (HttpRequest request, string? rest) => Problem(
            StatusCodes.Status404NotFound,
            "Not found",
            $"No admin endpoint answers {request.Method} /api/{rest}{(request.HasJsonContentType() ? string.Empty : " (a body must be sent as Content-Type: application/json)")}; see README.md, Admin API."));
    }

    public static IResult Problem(int status, string title, string detail) =>
        Results.Problem(detail: detail, statusCode: status, title: title);

    [LoggerMessage(1, LogLevel.Warning, "Admin call {Method} {Path} failed")]
    private static partial void LogCallFailed(ILogger logger, Exception exception, string method, string path);
}
