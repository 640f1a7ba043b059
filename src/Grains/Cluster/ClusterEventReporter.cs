using Bifro.Hosting;
using Bifro.Runtime;
using Bifro.Runtime.Diagnostics;

namespace Bifro.Grains.Cluster;

/// <summary>
/// Turns what the runtime sees of the cluster into events on the cluster stream: this silo joined, this
/// silo's vote declared another dead, a connection refused for a foreign ClusterId or an untrusted
/// certificate. Each is reported once, by the silo that saw it.
/// </summary>
internal sealed class ClusterEventReporter(RuntimeEvents runtime, IEventReporter events) : ISiloParticipant
{
    /// <summary>Before membership (which raises "joined" as it starts).</summary>
    public int Stage => 1900;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        runtime.SiloJoined += OnSiloJoined;
        runtime.SiloDeclaredDead += OnSiloDeclaredDead;
        runtime.ConnectionRefused += OnConnectionRefused;
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        runtime.SiloJoined -= OnSiloJoined;
        runtime.SiloDeclaredDead -= OnSiloDeclaredDead;
        runtime.ConnectionRefused -= OnConnectionRefused;
        return Task.CompletedTask;
    }

    private void OnSiloJoined(SiloAddress silo) =>
        events.Report(new ClusterEvent { Type = EventType.SiloJoined, Silo = silo.ToParsableString(), RemoteAddress = silo.Endpoint.Address.ToString() });

    private void OnSiloDeclaredDead(SiloAddress silo) =>
        events.Report(new ClusterEvent { Type = EventType.SiloDeclaredDead, Silo = silo.ToParsableString(), RemoteAddress = silo.Endpoint.Address.ToString() });

    private void OnConnectionRefused(RefusedConnection refused)
    {
        var endpoint = System.Net.IPEndPoint.TryParse(refused.Peer, out var parsed) ? parsed : null;
        events.Report(new ClusterEvent
        {
            Type = refused.Reason == RefusalReason.ForeignCluster ? EventType.ForeignClusterRefused : EventType.UntrustedCertificateRefused,
            RemoteAddress = endpoint?.Address.ToString() ?? refused.Peer,
            RemotePort = endpoint?.Port ?? 0,
            Silo = refused.RemoteIdentity,
            RemoteClusterId = refused.RemoteClusterId,
            RemoteServiceId = refused.RemoteServiceId,
            Reason = refused.Detail,
        });
    }
}
