using Bifro.Hosting;
using Bifro.Runtime;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Bifro.TestKit;

/// <summary>A silo in this process with in-memory storage and reminders, for runtime and grain tests.</summary>
public sealed class TestSilo : IAsyncDisposable
{
    private readonly IHost _host;

    private TestSilo(IHost host) => _host = host;

    public IServiceProvider Services => _host.Services;

    public IGrainFactory GrainFactory => _host.Services.GetRequiredService<IGrainFactory>();

    public static async Task<TestSilo> StartAsync(Action<ISiloBuilder>? configure = null, Action<IServiceCollection>? services = null)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.UseBifro(silo =>
        {
            silo.AddMemoryGrainStorage();
            silo.AddMemoryGrainStorage(ProviderConstants.DefaultPubSubProviderName);
            silo.UseInMemoryReminderService();
            configure?.Invoke(silo);
        });
        services?.Invoke(builder.Services);
        var host = builder.Build();
        await host.StartAsync().ConfigureAwait(false);
        return new TestSilo(host);
    }

    public async ValueTask DisposeAsync()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await _host.StopAsync(cts.Token).ConfigureAwait(false);
        _host.Dispose();
    }
}
