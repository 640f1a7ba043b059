using Bifro.Configuration;
using Bifro.Grains;
using Microsoft.Extensions.DependencyInjection;

namespace Bifro.Silo.Plugins;

/// <summary>Registers the event collector plugins of Bifro:Events:Plugins, each under its name.</summary>
internal static class EventCollectorRegistration
{
    /// <summary>Registers each plugin named in Bifro:Events:Collectors; what is wrong goes to <paramref name="errors"/>, naming the key.</summary>
    public static void Register(IServiceCollection services, EventOptions options, List<string> errors)
    {
        foreach (var name in options.EffectiveCollectors)
        {
            if (!options.Plugins.TryGetValue(name, out var plugin))
            {
                continue;
            }

            var section = $"{EventOptions.SectionName}:Plugins:{name}";
            var type = PluginLoader.FindType<IEventCollector>(plugin.Path!, plugin.TypeName!, out var error);
            if (type is null)
            {
                errors.Add($"{section}:Path / {section}:TypeName: {error}");
                continue;
            }

            // Made by dependency injection, so that a plugin may ask for IConfiguration, ILogger<T>, TimeProvider, IDenyList….
            services.AddKeyedSingleton<IEventCollector>(name.ToLowerInvariant(), (sp, _) => (IEventCollector)ActivatorUtilities.CreateInstance(sp, type));
        }
    }
}
