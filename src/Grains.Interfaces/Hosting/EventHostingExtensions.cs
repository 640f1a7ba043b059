using Bifro.Configuration;
using Bifro.Grains;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Bifro.Hosting;

/// <summary>Events and deny lists on every node (silo or edge-only): the event streams, the reporter, the deny-list replica.</summary>
public static class EventHostingExtensions
{
    /// <summary>
    /// Adds the memory stream provider "events" (namespace "events", one stream per tenant and one for the
    /// cluster), this node's <see cref="IEventReporter"/>, and its deny-list replica (<see cref="IDenyList"/>).
    /// Events are consumed on silos (AddEventConsumers).
    /// </summary>
    public static ISiloBuilder AddBifroEvents(this ISiloBuilder builder, Action<MemoryStreamOptions>? streams = null)
    {
        var services = builder.Services;
        services.AddOptions<EventOptions>().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<EventOptions>, EventOptionsValidator>());
        builder.AddMemoryStreams(EventStreams.ProviderName, streams);
        services.TryAddSingleton<EventReporter>();
        services.RemoveAll<IEventReporter>();
        services.AddSingleton<IEventReporter>(sp => sp.GetRequiredService<EventReporter>());
        return builder.AddDenyListReplica();
    }

    /// <summary>The deny-list replica, also without events: CONNECT consults it, auth providers may ask it.</summary>
    public static ISiloBuilder AddDenyListReplica(this ISiloBuilder builder)
    {
        builder.Services.TryAddSingleton<DenyListReplica>();
        builder.Services.TryAddSingleton<IDenyList>(sp => sp.GetRequiredService<DenyListReplica>());
        return builder;
    }

    /// <summary>Registers the do-nothing reporter unless a real one is there (what grains and the edge need without events).</summary>
    public static IServiceCollection TryAddNullEventReporter(this IServiceCollection services)
    {
        services.TryAddSingleton<IEventReporter>(NullEventReporter.Instance);
        return services;
    }
}
