using Bifro.Configuration;
using Bifro.Grains;
using Bifro.Grains.Authorization.Providers;
using Bifro.Grains.Authorization.Providers.Http;
using Bifro.Grains.Authorization.Providers.Postgres;
using Bifro.Grains.Authorization.Providers.Scram;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

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
                if (LoadFile(options, errors) is { } file)
                {
                    services.AddSingleton<IAuthProvider>(file);
                }

                break;
            case PostgresAuthProvider.Name:
                // Made by the container, which then disposes it (and its connection pool) at shutdown.
                services.AddSingleton<IAuthProvider>(sp => CreatePostgres(sp, options));
                break;
            case HttpAuthProvider.Name:
                services.AddSingleton<IAuthProvider>(sp => new HttpAuthProvider(options.Http, sp.GetRequiredService<TimeProvider>()));
                break;
            case ScramAuthProvider.Name when options.Scram.Store == FileAuthProvider.Name:
                if (LoadFile(options, errors) is { } users)
                {
                    services.AddSingleton<IAuthProvider>(new ScramAuthProvider(users, users, options.Scram));
                }

                break;
            case ScramAuthProvider.Name:
                services.AddSingleton<PostgresAuthProvider>(sp => CreatePostgres(sp, options));
                services.AddSingleton<IAuthProvider>(sp =>
                {
                    var store = sp.GetRequiredService<PostgresAuthProvider>();
                    return new ScramAuthProvider(store, store, options.Scram);
                });
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
        PostgresAuthProvider postgres => $"postgres {postgres.Describe()} (cache {options.Postgres.CacheTtl})",
        HttpAuthProvider http => $"http ({http.Describe()}; timeout {options.Http.RequestTimeout})",
        ScramAuthProvider scram => $"scram ({ScramSha256.Mechanism}) over {Describe(scram.Store, options)}" +
            (options.Scram.AllowPlainPassword ? "; plain passwords allowed" : "; plain passwords refused"),
        AllowAllAuthProvider => AllowAllAuthProvider.Name,
        _ => $"plugin {provider.GetType().FullName} from '{Path.GetFullPath(options.Plugin.Path ?? ".")}'",
    };

    private static FileAuthProvider? LoadFile(AuthOptions options, List<string> errors)
    {
        try
        {
            return FileAuthProvider.Load(Path.GetFullPath(options.File.Path!));
        }
        catch (AuthFileException exception)
        {
            errors.Add($"{AuthOptions.SectionName}:File:Path: {exception.Message}");
            return null;
        }
    }

    private static PostgresAuthProvider CreatePostgres(IServiceProvider services, AuthOptions options) =>
        new(options.Postgres, services.GetRequiredService<TimeProvider>(), services.GetRequiredService<ILogger<PostgresAuthProvider>>());
}
