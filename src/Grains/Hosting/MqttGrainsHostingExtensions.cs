using Bifro.Grains.Cluster;
using Bifro.Configuration;
using Bifro.Grains;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Bifro.Hosting;

/// <summary>Adds what the MQTT grains need from a silo beyond the grains themselves.</summary>
public static class MqttGrainsHostingExtensions
{
    /// <summary>Sessions and routes let go of nodes that are lost; inboxes and retained messages find their tenant's settings.</summary>
    public static ISiloBuilder AddMqttGrains(this ISiloBuilder builder)
    {
        builder.Services.AddSingleton<ISiloParticipant, NodeLossSweeper>();

        // Sessions, inboxes and deny lists report events; without AddBifroEvents, to nowhere.
        builder.Services.TryAddNullEventReporter();
        // Tenant settings for inboxes and retained-message shards; the node registers its configured provider first.
        builder.Services.TryAddSingleton<ISettingProvider>(_ => new ConfigurationSettingProvider());
        return builder;
    }
}
