using Xunit;

namespace Bifro.EndToEnd.Tests.Cluster;

/// <summary>
/// The cluster tests run one class at a time and apart from every other test: each class runs several
/// nodes, and on a small machine two clusters at once would make membership probes miss.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ClusterCollection
{
    public const string Name = "Cluster";
}
