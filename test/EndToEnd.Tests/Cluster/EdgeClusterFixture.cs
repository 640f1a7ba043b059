namespace Bifro.EndToEnd.Tests.Cluster;

/// <summary>Two silo nodes (silo and edge in one process) and an edge-only node (Bifro:Node:Role=edge), a cluster client.</summary>
public sealed class EdgeClusterFixture : ClusterFixtureBase
{
    public BifroCluster Cluster { get; private set; } = null!;

    /// <summary>Nodes 0 and 1 are silos; this is node 2.</summary>
    public ClusterNode Edge => Cluster[2];

    public override async Task InitializeAsync()
    {
        Cluster = await KeepAsync(BifroCluster.StartAsync(2));
        await Cluster.StartNodeAsync("edge");
        await Cluster.WaitForViewAsync();
    }
}
