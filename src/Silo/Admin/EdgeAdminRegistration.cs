using Bifro.MqttEdge.Delivery;
using Bifro.Runtime.Messaging;
using Microsoft.Extensions.Hosting;

namespace Bifro.Silo.Admin;

/// <summary>
/// Registers this node's <see cref="IEdgeAdminTarget"/> at start, whether or not the node serves the admin
/// API itself: another node's admin API asks it about the connections it holds.
/// </summary>
internal sealed class EdgeAdminRegistration(ObserverRegistry observers, ConnectionRegistry connections, EdgeNode node) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        observers.RegisterWellKnown(EdgeAdminTarget.Name, new EdgeAdminTarget(connections, node));
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
