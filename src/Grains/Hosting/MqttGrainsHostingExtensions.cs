using Bifro.Grains.Cluster;
using Microsoft.Extensions.DependencyInjection;

namespace Bifro.Hosting;

/// <summary>Adds what the MQTT grains need from a silo beyond the grains themselves.</summary>
public static class MqttGrainsHostingExtensions
{
    /// <summary>Sessions and routes let go of nodes that are lost.</summary>
    public static ISiloBuilder AddMqttGrains(this ISiloBuilder builder)
    {
        builder.Services.AddSingleton<ISiloParticipant, NodeLossSweeper>();

        // Sessions, inboxes and deny lists report events; without AddBifroEvents, to nowhere.
        builder.Services.TryAddNullEventReporter();
        return builder;
    }
}
