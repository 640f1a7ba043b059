using Bifro.Configuration;
using Bifro.Runtime;
using Bifro.Runtime.Membership;
using Bifro.Runtime.Messaging;
using Bifro.Runtime.Streams;
using Bifro.Streams;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Bifro.Hosting;

/// <summary>Memory stream registration (Orleans' SiloBuilderMemoryStreamExtensions).</summary>
public static class MemoryStreamHostingExtensions
{
    /// <summary>
    /// Adds a stream provider named <paramref name="name"/> that keeps events in this silo's memory;
    /// grains get it with <c>this.GetStreamProvider(name)</c>, other code with
    /// <c>services.GetStreamProvider(name)</c>.
    /// </summary>
    public static ISiloBuilder AddMemoryStreams(this ISiloBuilder builder, string name, Action<MemoryStreamOptions>? configure = null) =>
        builder.AddMemoryStreams(name, options =>
        {
            if (configure is not null)
            {
                options.Configure(configure);
            }
        });

    /// <summary>Adds a memory stream provider, configured through an options builder (bind, validate).</summary>
    public static ISiloBuilder AddMemoryStreams(this ISiloBuilder builder, string name, Action<OptionsBuilder<MemoryStreamOptions>> configureOptions)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(configureOptions);
        var services = builder.Services;
        configureOptions(services.AddOptions<MemoryStreamOptions>(name).ValidateOnStart());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<MemoryStreamOptions>, MemoryStreamOptionsValidator>());
        services.AddKeyedSingleton<IStreamProvider>(name, (sp, _) => new MemoryStreamProvider(
            name,
            sp.GetRequiredService<IOptionsMonitor<MemoryStreamOptions>>().Get(name),
            sp.GetRequiredService<IGrainFactory>(),
            sp.GetRequiredService<ILocalSiloDetails>(),
            sp.GetRequiredService<IMembershipViewProvider>(),
            sp.GetRequiredService<ObserverRegistry>(),
            sp,
            sp.GetRequiredService<ILogger<MemoryStreamProvider>>()));
        services.AddSingleton(sp => (MemoryStreamProvider)sp.GetRequiredKeyedService<IStreamProvider>(name));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, MemoryStreamLifecycle>());
        return builder;
    }
}
