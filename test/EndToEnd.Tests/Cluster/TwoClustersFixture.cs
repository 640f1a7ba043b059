namespace Bifro.EndToEnd.Tests.Cluster;

/// <summary>Clusters "prod" and "staging", two nodes each, on one PostgreSQL database, with their own ServiceIds.</summary>
public sealed class TwoClustersFixture : ClusterFixtureBase
{
    public BifroCluster Prod { get; private set; } = null!;

    public BifroCluster Staging { get; private set; } = null!;

    public override async Task InitializeAsync()
    {
        Prod = await KeepAsync(BifroCluster.StartAsync(2, new ClusterSettings { ClusterId = "prod", ServiceId = "prod-service" }));
        Staging = await KeepAsync(BifroCluster.StartAsync(2, new ClusterSettings { ClusterId = "staging", ServiceId = "staging-service", ConnectionString = Prod.ConnectionString }));
    }
}
