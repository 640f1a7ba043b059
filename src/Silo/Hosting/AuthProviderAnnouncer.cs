using Bifro.Configuration;
using Bifro.Grains;
using Bifro.Grains.Authorization.Providers;
using Bifro.Silo.Plugins;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Bifro.Silo.Hosting;

/// <summary>Says at every start which auth provider guards the node, and warns loudly when it is allow-all.</summary>
internal sealed partial class AuthProviderAnnouncer(IAuthProvider provider, IOptions<AuthOptions> options, ILogger<AuthProviderAnnouncer> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (provider is AllowAllAuthProvider)
        {
            LogAllowAll(logger);
        }
        else
        {
            LogProvider(logger, AuthProviderRegistration.Describe(provider, options.Value));
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(1, LogLevel.Warning, "Bifro:Auth:Provider is allow-all: every client may connect without credentials and do anything. Use it for development only.")]
    private static partial void LogAllowAll(ILogger logger);

    [LoggerMessage(2, LogLevel.Information, "Auth provider: {Provider}")]
    private static partial void LogProvider(ILogger logger, string provider);
}
