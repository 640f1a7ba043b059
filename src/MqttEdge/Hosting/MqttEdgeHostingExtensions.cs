using System.Net;
using Bifro.Configuration;
using Bifro.Grains;
using Bifro.MqttEdge.Configuration;
using Bifro.MqttEdge.Connection;
using Bifro.MqttEdge.Delivery;
using Bifro.MqttEdge.Limits;
using Bifro.MqttEdge.Listeners;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Bifro.Hosting;

/// <summary>Adds the MQTT edge: listeners, connections, route replica, publish router.</summary>
public static class MqttEdgeHostingExtensions
{
    /// <summary>Registers the edge's services and binds <see cref="MqttOptions"/> to "Bifro:Mqtt".</summary>
    public static IServiceCollection AddMqttEdge(this IServiceCollection services, Microsoft.Extensions.Configuration.IConfiguration configuration)
    {
        services.AddOptions<MqttOptions>().Bind(configuration.GetSection(MqttOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<MqttOptions>, MqttOptionsValidator>();
        services.AddOptions<AuthOptions>();
        services.TryAddSingleton<AuthProviderGuard>();
        services.AddOptions<EventOptions>();
        services.TryAddNullEventReporter();
        services.TryAddSingleton<DenyListReplica>();
        services.TryAddSingleton<IDenyList>(sp => sp.GetRequiredService<DenyListReplica>());
        services.AddSingleton<ConnectionRegistry>();
        services.AddSingleton<DeliveryCounters>();
        services.AddSingleton<EdgeNode>();
        services.AddSingleton<RouteReplica>();
        services.AddSingleton<RemoteDelivery>();
        services.AddSingleton<EdgeDeliveryTarget>();
        services.AddSingleton<PublishRouter>();
        services.AddSingleton<IMessagePublisher>(sp => sp.GetRequiredService<PublishRouter>());
        services.TryAddSingleton<ISettingProvider>(_ => new ConfigurationSettingProvider());
        services.AddSingleton<TenantConnectRate>();
        services.AddSingleton<TenantConnectionLeases>();
        services.AddMetrics();
        services.AddOptions<EdgeTelemetryOptions>();
        services.AddSingleton<Bifro.MqttEdge.Diagnostics.EdgeMetrics>();
        services.AddSingleton<EdgeServices>();
        services.AddSingleton<TlsCertificateSources>();
        services.AddHostedService<EdgeLifecycle>();
        services.AddHostedService<Bifro.MqttEdge.Cluster.EdgeRecovery>();
        return services;
    }

    /// <summary>Serves MQTT on this Kestrel endpoint; <paramref name="listenerName"/> names it in logs and to auth.</summary>
    public static ListenOptions UseMqtt(this ListenOptions listenOptions, string listenerName = "tcp")
    {
        var handler = new MqttConnectionHandler(listenOptions.ApplicationServices.GetRequiredService<EdgeServices>(), listenerName);
        listenOptions.Run(handler.OnConnectedAsync);
        return listenOptions;
    }

    /// <summary>
    /// Every connection must begin with a PROXY protocol v1 or v2 header, whose source address becomes the
    /// client's; one without a valid header within the connect timeout is closed. Call it before UseMqttTls:
    /// the header comes before the TLS handshake. <paramref name="listenerName"/> names the listener in logs
    /// (the endpoint by default).
    /// </summary>
    public static ListenOptions UseProxyProtocol(this ListenOptions listenOptions, string? listenerName = null)
    {
        var name = listenerName ?? listenOptions.ToString() ?? "listener";
        var edge = listenOptions.ApplicationServices.GetRequiredService<EdgeServices>();
        var logger = listenOptions.ApplicationServices.GetRequiredService<ILoggerFactory>().CreateLogger<ProxyProtocolMiddleware>();
        listenOptions.Use(next => new ProxyProtocolMiddleware(next, name, edge.Options.ConnectTimeout, logger).OnConnectionAsync);
        return listenOptions;
    }

    /// <summary>
    /// TLS 1.2/1.3 with the listener's certificate, reloaded when its files change, and client certificates
    /// validated against its CA bundle. <paramref name="configurationKey"/> ("Bifro:Mqtt:Tls") names the
    /// settings in errors.
    /// </summary>
    public static ListenOptions UseMqttTls(this ListenOptions listenOptions, TlsListenerOptions tls, string configurationKey)
    {
        var services = listenOptions.ApplicationServices;
        var edge = services.GetRequiredService<EdgeServices>();
        var certificates = services.GetRequiredService<TlsCertificateSources>().Create(tls, configurationKey, edge.Options.CertificateReloadInterval);
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger<TlsMiddleware>();
        listenOptions.Use(next => new TlsMiddleware(next, certificates, tls.ClientCertificateMode, tls.Name, edge.Options.ConnectTimeout, logger).OnConnectionAsync);
        return listenOptions;
    }

    /// <summary>MQTT over WebSocket: the HTTP upgrade on <paramref name="path"/> with subprotocol "mqtt" (or "mqttv3.1", "mqttv3.1.1").</summary>
    public static ListenOptions UseMqttWebSockets(this ListenOptions listenOptions, string path = "/mqtt", string listenerName = "ws")
    {
        var services = listenOptions.ApplicationServices;
        var edge = services.GetRequiredService<EdgeServices>();
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger<WebSocketMiddleware>();

        // As much read-ahead as Kestrel's socket transport allows a TCP connection (see NodeHost).
        var maxBufferedInput = Math.Max(64 * 1024, edge.Options.MaxPacketSize + 5);
        listenOptions.Use(next => new WebSocketMiddleware(next, path, listenerName, edge.Options.ConnectTimeout, maxBufferedInput, logger).OnConnectionAsync);
        return listenOptions;
    }

    /// <summary>Opens the listeners configured in <see cref="MqttOptions"/>: tcp, tls, ws and wss, each when enabled.</summary>
    public static KestrelServerOptions ListenMqtt(this KestrelServerOptions kestrel, MqttOptions options)
    {
        const string s = MqttOptions.SectionName;
        Listen(kestrel, options.Tcp, static _ => { });
        Listen(kestrel, options.Tls, listen => listen.UseMqttTls(options.Tls, $"{s}:Tls"));
        Listen(kestrel, options.Ws, listen => listen.UseMqttWebSockets(options.Ws.Path, options.Ws.Name));
        Listen(kestrel, options.Wss, listen => listen.UseMqttTls(options.Wss, $"{s}:Wss").UseMqttWebSockets(options.Wss.Path, options.Wss.Name));
        return kestrel;
    }

    private static void Listen(KestrelServerOptions kestrel, MqttListenerOptions listener, Action<ListenOptions> configure)
    {
        if (!listener.Enabled)
        {
            return;
        }

        kestrel.Listen(IPAddress.Parse(listener.BindAddress), listener.Port, listen =>
        {
            // Outermost first: the PROXY header precedes TLS, TLS carries the WebSocket, which carries MQTT.
            if (listener.ProxyProtocol)
            {
                listen.UseProxyProtocol(listener.Name);
            }

            configure(listen);
            listen.UseMqtt(listener.Name);
        });
    }
}
