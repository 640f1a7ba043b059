using Microsoft.Extensions.Hosting;

namespace Bifro.Runtime.Streams;

/// <summary>
/// Creates the memory stream providers at start and drains them at stop. Registered after the silo's
/// own hosted service, so it stops first: buffered events reach their consumer grains before the
/// catalog deactivates every grain, and no delivery reactivates a grain after that.
/// </summary>
internal sealed class MemoryStreamLifecycle : IHostedService
{
    private readonly MemoryStreamProvider[] _providers;

    public MemoryStreamLifecycle(IEnumerable<MemoryStreamProvider> providers) => _providers = providers.ToArray();

    public Task StartAsync(CancellationToken cancellationToken)
    {
        foreach (var provider in _providers)
        {
            provider.Start();
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        var stops = new Task[_providers.Length];
        for (var i = 0; i < _providers.Length; i++)
        {
            stops[i] = _providers[i].StopAsync(cancellationToken);
        }

        return Task.WhenAll(stops);
    }
}
