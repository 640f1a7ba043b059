using System.Diagnostics.Metrics;
using System.Net;
using System.Net.Security;
using System.Security.Authentication;
using Bifro.MqttEdge.Configuration;
using Bifro.MqttEdge.Listeners;
using Bifro.Silo.Admin;
using Bifro.Silo.Configuration;
using Bifro.Silo.Telemetry;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using ClientCertificateMode = Bifro.MqttEdge.Configuration.ClientCertificateMode;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Bifro.Silo.Hosting;

/// <summary>
/// The admin API and telemetry of a node: services, the admin endpoint on the node's Kestrel server (next to
/// the MQTT listeners, which take no HTTP, so its routes answer only there), and its routes.
/// </summary>
internal static partial class AdminHostingExtensions
{
    /// <summary>Services every node has (other nodes' admin APIs ask it), and the admin API's when enabled.</summary>
    public static void AddAdminAndTelemetry(this WebApplicationBuilder builder, AdminOptions admin, TelemetryOptions telemetry)
    {
        var services = builder.Services;
        services.Configure<EdgeTelemetryOptions>(o => o.PublishTraceInterval = telemetry.Tracing.PublishTraceInterval);
        services.AddHostedService<EdgeAdminRegistration>();
        if (telemetry.Otlp.Endpoint is not null)
        {
            services.AddSingleton(telemetry);
            services.AddHostedService<OtlpTelemetry>();
        }

        if (!admin.Enabled)
        {
            return;
        }

        services.AddSingleton(Microsoft.Extensions.Options.Options.Create(admin));
        services.AddSingleton<AdminService>();
        services.AddSingleton(sp => new PrometheusExporter(sp.GetService<IMeterFactory>()));
        services.ConfigureHttpJsonOptions(o => o.SerializerOptions.TypeInfoResolverChain.Insert(0, AdminJsonContext.Default));
        if (admin.Tls.Enabled)
        {
            // The slim builder leaves HTTPS out unless asked.
            builder.WebHost.UseKestrelHttpsConfiguration();
        }
    }

    /// <summary>Opens the admin endpoint: HTTP/1.1, or HTTPS with an optional client certificate checked against the admin client CA.</summary>
    public static void ListenAdmin(this KestrelServerOptions kestrel, AdminOptions admin, TimeSpan certificateReloadInterval)
    {
        AdminOptionsValidator.TryParseEndpoint(admin.Endpoint, out var endpoint);
        kestrel.Listen(endpoint!, listen =>
        {
            listen.Protocols = HttpProtocols.Http1;
            if (!admin.Tls.Enabled)
            {
                return;
            }

            var tls = new TlsListenerOptions
            {
                Certificate = admin.Tls.Certificate,
                ClientCaPath = admin.Tls.ClientCaPath,
                CheckCertificateRevocation = admin.Tls.CheckCertificateRevocation,

                // Asked for, not required, at the handshake: /health must answer probes that have no
                // certificate. The API itself refuses a request without one (AdminAuthentication).
                ClientCertificateMode = admin.Tls.ClientCaPath is null ? ClientCertificateMode.None : ClientCertificateMode.Optional,
            };
            var certificates = listen.ApplicationServices.GetRequiredService<TlsCertificateSources>()
                .Create(tls, $"{AdminOptions.SectionName}:Tls", certificateReloadInterval);
            listen.UseHttps(new Microsoft.AspNetCore.Server.Kestrel.Https.TlsHandshakeCallbackOptions
            {
                OnConnection = _ =>
                {
                    var material = certificates.Current;
                    var validator = material.ClientChainPolicy is { } policy ? new ClientCertificateValidator(policy, ClientCertificateMode.Optional) : null;
                    return ValueTask.FromResult(new SslServerAuthenticationOptions
                    {
                        ServerCertificateContext = material.ServerCertificate,
                        EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
                        ClientCertificateRequired = validator is not null,
                        CertificateChainPolicy = validator?.Policy,
                        RemoteCertificateValidationCallback = validator is null ? null : validator.Validate,
                        ApplicationProtocols = [SslApplicationProtocol.Http11],
                    });
                },
            });
        });
    }

    /// <summary>Maps the admin routes and starts collecting metrics (counters count from here on).</summary>
    public static void MapAdmin(this WebApplication app, AdminOptions admin, TelemetryOptions telemetry)
    {
        if (telemetry.Prometheus)
        {
            app.Services.GetRequiredService<PrometheusExporter>();
        }

        AdminEndpoints.Map(app, admin, telemetry);
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Bifro.Admin");
        var scheme = admin.Tls.Enabled ? "https" : "http";
        if (new AdminAuthentication(admin).IsOpen)
        {
            LogOpen(logger, $"{scheme}://{admin.Endpoint}");
        }
        else
        {
            LogListening(logger, $"{scheme}://{admin.Endpoint}", admin.Tokens.Count, admin.Tls.ClientCaPath is not null);
        }
    }

    [LoggerMessage(1, LogLevel.Warning, "Admin API on {Url} has no credentials (Bifro:Admin:Tokens, Bifro:Admin:Tls:ClientCaPath): any local process can manage this node")]
    private static partial void LogOpen(ILogger logger, string url);

    [LoggerMessage(2, LogLevel.Information, "Admin API on {Url} ({Tokens} tokens, client certificates required: {MutualTls})")]
    private static partial void LogListening(ILogger logger, string url, int tokens, bool mutualTls);
}
