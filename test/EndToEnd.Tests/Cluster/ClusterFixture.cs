namespace Bifro.EndToEnd.Tests.Cluster;

/// <summary>
/// Three nodes shared by the tests of a class that leave every node running; the tests keep apart with
/// their own client ids and topics.
/// </summary>
public sealed class ClusterFixture : ClusterFixtureBase
{
    public BifroCluster Cluster { get; private set; } = null!;

    public override async Task InitializeAsync() => Cluster = await KeepAsync(BifroCluster.StartAsync(3));
}
