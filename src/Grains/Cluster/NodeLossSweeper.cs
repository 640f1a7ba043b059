using Bifro.Hosting;
using Bifro.Runtime;
using Bifro.Runtime.Activation;
using Bifro.Runtime.Membership;
using Microsoft.Extensions.Logging;

namespace Bifro.Grains.Cluster;

/// <summary>
/// When a node is lost (a silo declared dead, or a cluster client gone past its drop timeout), this
/// silo lets go of what its own activations held for that node's connections: sessions connected there
/// end abnormally (wills, expiry), and route shards drop the transient routes that pointed there. Each
/// silo sweeps only its activations, so together they cover the cluster once.
/// </summary>
internal sealed partial class NodeLossSweeper : ISiloParticipant
{
    private readonly IMembershipViewProvider _membership;
    private readonly Catalog _catalog;
    private readonly IGrainFactory _grainFactory;
    private readonly ILogger<NodeLossSweeper> _logger;
    private GrainType _sessionType;
    private GrainType _routesType;

    public NodeLossSweeper(IMembershipViewProvider membership, Catalog catalog, IGrainFactory grainFactory, ILogger<NodeLossSweeper> logger)
    {
        _membership = membership;
        _catalog = catalog;
        _grainFactory = grainFactory;
        _logger = logger;
    }

    /// <summary>After membership, so that it hears every loss.</summary>
    public int Stage => 2100;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        // Application parts are loaded by now (the silo loads them before its participants start).
        _sessionType = GrainClassRegistry.ResolveGrainType(typeof(ISessionGrain), null);
        _routesType = GrainClassRegistry.ResolveGrainType(typeof(IRoutesGrain), null);
        _membership.NodeLost += OnNodeLost;
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        _membership.NodeLost -= OnNodeLost;
        return Task.CompletedTask;
    }

    private void OnNodeLost(string node) => _ = SweepAsync(node);

    private async Task SweepAsync(string node)
    {
        var sessions = _catalog.GetActivationIds(_sessionType);
        var shards = _catalog.GetActivationIds(_routesType);
        var calls = new List<Task>(sessions.Count + shards.Count);
        foreach (var id in sessions)
        {
            calls.Add(_grainFactory.GetGrain<ISessionGrain>(id).OwnerNodeLostAsync(node));
        }

        var routesRemoved = new List<Task<int>>(shards.Count);
        foreach (var id in shards)
        {
            routesRemoved.Add(_grainFactory.GetGrain<IRoutesGrain>(id).NodeLostAsync(node));
        }

        try
        {
            await Task.WhenAll(calls).ConfigureAwait(false);
            await Task.WhenAll(routesRemoved).ConfigureAwait(false);
        }
        catch (Exception exception)
        {
            LogSweepFailed(exception, node);
        }

        var removed = 0;
        foreach (var task in routesRemoved)
        {
            removed += task.IsCompletedSuccessfully ? task.Result : 0;
        }

        LogSwept(node, sessions.Count, removed);
    }

    [LoggerMessage(1, LogLevel.Information, "Node {Node} lost: checked {Sessions} local sessions, removed {Routes} transient routes")]
    private partial void LogSwept(string node, int sessions, int routes);

    [LoggerMessage(2, LogLevel.Warning, "Letting go of lost node {Node} failed in part")]
    private partial void LogSweepFailed(Exception exception, string node);
}
