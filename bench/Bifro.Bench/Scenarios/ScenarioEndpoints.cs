using Bifro.Bench.Mqtt;

namespace Bifro.Bench.Scenarios;

/// <summary>
/// Where a scenario's connections go: publishers and subscribers on one broker, or, cross-node, publishers on
/// one node of a cluster and subscribers on another.
/// </summary>
/// <param name="BrokerPids">The broker's processes (a cluster's nodes), for CPU use; empty if unknown.</param>
internal sealed record ScenarioEndpoints(ConnectionSettings Publishers, ConnectionSettings Subscribers, IReadOnlyList<int> BrokerPids)
{
    public static ScenarioEndpoints Single(ConnectionSettings settings, int? brokerPid) =>
        new(settings, settings, brokerPid is { } pid ? [pid] : []);

    /// <summary>True when publishers and subscribers connect to different nodes.</summary>
    public bool CrossNode => !Publishers.EndPoint.Equals(Subscribers.EndPoint);
}
