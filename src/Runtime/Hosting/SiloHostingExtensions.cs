using Bifro.Configuration;
using Bifro.Runtime;
using Bifro.Runtime.Activation;
using Bifro.Runtime.Messaging;
using Bifro.Runtime.Timers;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Bifro.Hosting;

/// <summary>Adds a silo to a host (Orleans' UseOrleans).</summary>
public static class SiloHostingExtensions
{
    public static IHostApplicationBuilder UseBifro(this IHostApplicationBuilder builder, Action<ISiloBuilder> configure)
    {
        builder.Services.AddBifroSilo(builder.Configuration, configure);
        return builder;
    }

    public static IServiceCollection AddBifroSilo(
        this IServiceCollection services, Microsoft.Extensions.Configuration.IConfiguration configuration, Action<ISiloBuilder> configure)
    {
        var builder = new SiloBuilder(services, configuration);
        AddDefaultServices(services);
        configure(builder);
        return services;
    }

    public static ISiloBuilder Configure<TOptions>(this ISiloBuilder builder, Action<TOptions> configure)
        where TOptions : class
    {
        builder.Services.Configure(configure);
        return builder;
    }

    public static ISiloBuilder ConfigureServices(this ISiloBuilder builder, Action<IServiceCollection> configure)
    {
        configure(builder.Services);
        return builder;
    }

    /// <summary>
    /// Adds a cluster client (Orleans' UseOrleansClient): grain references, observers and streams without
    /// hosting any grain. Configure its clustering with UsePostgresClusterClient.
    /// </summary>
    public static IServiceCollection AddBifroClient(
        this IServiceCollection services, Microsoft.Extensions.Configuration.IConfiguration configuration, Action<ISiloBuilder> configure)
    {
        var builder = new SiloBuilder(services, configuration);
        if (!services.Any(d => d.ServiceType == typeof(MessageCenter)))
        {
            AddMessagingServices(services);
            services.AddSingleton<ClientLifecycle>();
            services.AddHostedService(sp => sp.GetRequiredService<ClientLifecycle>());
        }

        configure(builder);
        return services;
    }

    private static void AddDefaultServices(IServiceCollection services)
    {
        if (services.Any(d => d.ServiceType == typeof(Catalog)))
        {
            return;
        }

        AddMessagingServices(services);
        services.AddOptions<GrainCollectionOptions>();
        services.AddSingleton<Catalog>();
        services.AddSingleton<SiloLifecycle>();
        services.AddHostedService(sp => sp.GetRequiredService<SiloLifecycle>());
    }

    /// <summary>What silos and clients share: identity, membership view, observers, calls.</summary>
    private static void AddMessagingServices(IServiceCollection services)
    {
        services.AddOptions<ClusterOptions>();
        services.AddOptions<MessagingOptions>();
        services.AddOptions<SiloOptions>();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<ILocalSiloDetails>(sp =>
        {
            var cluster = sp.GetRequiredService<IOptions<ClusterOptions>>().Value;
            var silo = sp.GetRequiredService<IOptions<SiloOptions>>().Value;
            return new LocalSiloDetails(SiloAddress.Local, silo.SiloName, cluster.ClusterId, cluster.ServiceId);
        });
        services.TryAddSingleton<Runtime.Membership.IMembershipViewProvider, Runtime.Membership.LocalMembershipView>();
        services.TryAddSingleton<Runtime.Diagnostics.RuntimeEvents>();
        services.AddSingleton<ObserverRegistry>();
        services.AddSingleton<PendingCallTracker>();
        services.AddSingleton<MessageCenter>();
        services.AddSingleton<IGrainReferenceRuntime, GrainCallRuntime>();
        services.AddSingleton<IGrainFactory, GrainFactory>();
        services.AddMetrics();
        services.TryAddSingleton<Runtime.Diagnostics.RuntimeMetrics>();
        services.TryAddSingleton<Runtime.Management.ManagementClient>();
    }

    /// <summary>Reminders kept in memory: they do not survive a restart (tests, development).</summary>
    public static ISiloBuilder UseInMemoryReminderService(this ISiloBuilder builder)
    {
        builder.Services.RemoveAll<IReminderTable>();
        builder.Services.AddSingleton<IReminderTable, MemoryReminderTable>();
        builder.Services.TryAddSingleton<ReminderService>();
        return builder;
    }

    /// <summary>Reminders stored in <typeparamref name="TTable"/>.</summary>
    public static ISiloBuilder UseReminderService<TTable>(this ISiloBuilder builder)
        where TTable : class, IReminderTable
    {
        builder.Services.RemoveAll<IReminderTable>();
        builder.Services.AddSingleton<IReminderTable, TTable>();
        builder.Services.TryAddSingleton<ReminderService>();
        return builder;
    }
}
