using Xunit;

namespace Bifro.EndToEnd.Tests.Cluster;

/// <summary>
/// Three nodes shared by the tests of a class that leave every node running; the tests keep apart with
/// their own client ids and topics.
/// </summary>
public sealed class ClusterFixture : IAsyncLifetime
{
    private BifroCluster? _cluster;

    public BifroCluster Cluster => _cluster ?? throw new InvalidOperationException("The cluster has not started.");

    public async Task InitializeAsync() => _cluster = await BifroCluster.StartAsync(3);

    public async Task DisposeAsync()
    {
        if (_cluster is not null)
        {
            await _cluster.DisposeAsync();
        }
    }
}

/// <summary>
/// The cluster tests run one class at a time and apart from every other test: each class runs several
/// nodes, and on a small machine two clusters at once would make membership probes miss.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ClusterCollection
{
    public const string Name = "Cluster";
}
