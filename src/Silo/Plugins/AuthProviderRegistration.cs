using Bifro.Configuration;
using Bifro.Grains;
using Bifro.Grains.Authorization.Providers;
using Microsoft.Extensions.DependencyInjection;

namespace Bifro.Silo.Plugins;

/// <summary>Chooses the auth provider that Bifro:Auth:Provider names: a built-in by name, or a plugin class.</summary>
internal static class AuthProviderRegistration
{
    /// <summary>Registers the provider; what is wrong goes to <paramref name="errors"/>, naming the key.</summary>
    public static void Register(IServiceCollection services, AuthOptions options, List<string> errors)
    {
        const string Section = AuthOptions.SectionName;
        switch (options.Provider)
        {
            case AllowAllAuthProvider.Name:
                services.AddSingleton<IAuthProvider, AllowAllAuthProvider>();
                break;
            case FileAuthProvider.Name:
                try
                {
                    services.AddSingleton<IAuthProvider>(FileAuthProvider.Load(Path.GetFullPath(options.File.Path!)));
                }
                catch (AuthFileException exception)
                {
                    errors.Add($"{Section}:File:Path: {exception.Message}");
                }

                break;
            case AuthOptionsValidator.Plugin:
                var type = PluginLoader.FindType<IAuthProvider>(options.Plugin.Path!, options.Plugin.TypeName!, out var error);
                if (type is null)
                {
                    errors.Add($"{Section}:Plugin:Path / {Section}:Plugin:TypeName: {error}");
                    break;
                }

                // Made by dependency injection, so that a plugin may ask for IConfiguration, ILogger<T>, TimeProvider….
                services.AddSingleton(sp => (IAuthProvider)ActivatorUtilities.CreateInstance(sp, type));
                break;
        }
    }

    /// <summary>A short description for the start-up log.</summary>
    public static string Describe(IAuthProvider provider, AuthOptions options) => provider switch
    {
        FileAuthProvider file => $"file '{Path.GetFullPath(options.File.Path!)}' ({file.UserCount} users, {file.RuleCount} ACL rules)",
        AllowAllAuthProvider => AllowAllAuthProvider.Name,
        _ => $"plugin {provider.GetType().FullName} from '{Path.GetFullPath(options.Plugin.Path ?? ".")}'",
    };
}
