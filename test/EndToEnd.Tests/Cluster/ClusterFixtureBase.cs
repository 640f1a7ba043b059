using Xunit;

namespace Bifro.EndToEnd.Tests.Cluster;

/// <summary>A class fixture that starts clusters, and kills every one it started (the last first) once the class is done.</summary>
public abstract class ClusterFixtureBase : IAsyncLifetime
{
    private readonly List<BifroCluster> _started = new();

    public abstract Task InitializeAsync();

    public async Task DisposeAsync()
    {
        for (var i = _started.Count - 1; i >= 0; i--)
        {
            await _started[i].DisposeAsync();
        }
    }

    /// <summary>Waits for a cluster to start, and keeps it for <see cref="DisposeAsync"/>.</summary>
    protected async Task<BifroCluster> KeepAsync(Task<BifroCluster> starting)
    {
        var cluster = await starting;
        _started.Add(cluster);
        return cluster;
    }
}
