using Bifro.Configuration;
using Bifro.Grains;
using Bifro.Grains.Authorization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Bifro.Hosting;

/// <summary>Authentication and authorization: the auth provider, and the grain-call filter that asks it.</summary>
public static class AuthorizationHostingExtensions
{
    /// <summary>
    /// Adds the authorization filter (which answers <see cref="ISessionGrain.AuthorizeAsync"/> from the auth
    /// provider) and the fail-closed guard around the provider. The provider comes from <see cref="UseAuthProvider{T}(ISiloBuilder)"/>.
    /// </summary>
    public static ISiloBuilder AddMqttAuthorization(this ISiloBuilder builder)
    {
        builder.Services.AddOptions<AuthOptions>();
        builder.Services.TryAddSingleton<AuthProviderGuard>();
        builder.AddIncomingGrainCallFilter<AuthorizationFilter>();
        return builder;
    }

    /// <inheritdoc cref="AddMqttAuthorization(ISiloBuilder)"/>
    public static ISiloBuilder AddMqttAuthorization(this ISiloBuilder builder, Action<AuthOptions> configure)
    {
        builder.Services.Configure(configure);
        return builder.AddMqttAuthorization();
    }

    /// <summary>Replaces the auth provider with <typeparamref name="T"/>, made by dependency injection.</summary>
    public static ISiloBuilder UseAuthProvider<T>(this ISiloBuilder builder)
        where T : class, IAuthProvider
    {
        builder.Services.RemoveAll<IAuthProvider>();
        builder.Services.AddSingleton<IAuthProvider, T>();
        return builder;
    }

    /// <summary>Replaces the auth provider with <paramref name="provider"/>.</summary>
    public static ISiloBuilder UseAuthProvider(this ISiloBuilder builder, IAuthProvider provider)
    {
        builder.Services.RemoveAll<IAuthProvider>();
        builder.Services.AddSingleton(provider);
        return builder;
    }
}
