using System.Net;
using Bifro.Configuration;
using Bifro.Grains;
using Bifro.MqttEdge.Configuration;
using Bifro.MqttEdge.Connection;
using Bifro.MqttEdge.Delivery;
using Bifro.MqttEdge.Listeners;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
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
        services.AddSingleton<EdgeServices>();
        services.AddSingleton<MqttConnectionHandler>();
        services.AddHostedService<EdgeLifecycle>();
        services.AddHostedService<Bifro.MqttEdge.Cluster.EdgeRecovery>();
        return services;
    }

    /// <summary>Serves MQTT on this Kestrel endpoint.</summary>
    public static ListenOptions UseMqtt(this ListenOptions listenOptions)
    {
        listenOptions.UseConnectionHandler<MqttConnectionHandler>();
        return listenOptions;
    }

    /// <summary>Opens the listeners configured in <see cref="MqttOptions"/>.</summary>
    public static KestrelServerOptions ListenMqtt(this KestrelServerOptions kestrel, MqttOptions options)
    {
        if (options.Tcp.Enabled)
        {
            kestrel.Listen(IPAddress.Parse(options.Tcp.BindAddress), options.Tcp.Port, listen => listen.UseMqtt());
        }

        return kestrel;
    }
}
