using Bifro.Configuration;
using Bifro.Grains;
using Bifro.Grains.Cluster;
using Bifro.Grains.Events;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Bifro.Hosting;

/// <summary>What consumes events on a silo: the collectors, the risk detector, and the cluster events it reports.</summary>
public static class EventConsumersHostingExtensions
{
    /// <summary>
    /// Adds the built-in collectors ("log", "metrics", "webhook"; Bifro:Events:Collectors picks which run), the
    /// collector host their consumer grains hand events to, the risk detector's options, and the reporting of
    /// cluster events. Plugin collectors are added with <see cref="AddEventCollector"/>.
    /// </summary>
    public static ISiloBuilder AddEventConsumers(this ISiloBuilder builder)
    {
        var services = builder.Services;
        services.AddMetrics();
        services.AddOptions<RiskOptions>().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<RiskOptions>, RiskOptionsValidator>());
        services.TryAddSingleton<EventMeter>();
        services.TryAddKeyedSingleton<IEventCollector>(LogEventCollector.Name, (sp, _) => ActivatorUtilities.CreateInstance<LogEventCollector>(sp));
        services.TryAddKeyedSingleton<IEventCollector>(MetricsEventCollector.Name, (sp, _) => ActivatorUtilities.CreateInstance<MetricsEventCollector>(sp));
        services.TryAddKeyedSingleton<IEventCollector>(WebhookEventCollector.Name, (sp, _) => new WebhookEventCollector(
            sp.GetRequiredService<IOptions<EventOptions>>(),
            null,
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<WebhookEventCollector>>()));
        if (!services.Any(d => d.ServiceType == typeof(EventCollectorHost)))
        {
            services.AddSingleton<EventCollectorHost>();
            services.AddSingleton<IHostedService>(sp => sp.GetRequiredService<EventCollectorHost>());
            services.AddSingleton<ISiloParticipant, ClusterEventReporter>();
        }

        return builder;
    }

    /// <summary>Adds a collector by name (Bifro:Events:Collectors must name it to run it), made by dependency injection.</summary>
    public static ISiloBuilder AddEventCollector(this ISiloBuilder builder, string name, Func<IServiceProvider, IEventCollector> factory)
    {
        builder.Services.AddKeyedSingleton<IEventCollector>(name.ToLowerInvariant(), (sp, _) => factory(sp));
        return builder;
    }
}
