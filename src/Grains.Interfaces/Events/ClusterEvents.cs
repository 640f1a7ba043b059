using Bifro.Runtime;

// The cluster group of the event catalogue: on the cluster stream, with no tenant or client.
namespace Bifro.Grains;

/// <summary>
/// Membership and transport: <see cref="EventType.SiloJoined"/>, <see cref="EventType.SiloDeclaredDead"/>,
/// <see cref="EventType.ForeignClusterRefused"/>, <see cref="EventType.UntrustedCertificateRefused"/>. The
/// peer's address is in <see cref="BifroEvent.RemoteAddress"/>.
/// </summary>
[GenerateSerializer]
public sealed class ClusterEvent : BifroEvent
{
    /// <summary>The silo that joined or died, as "address:port@generation".</summary>
    [Id(10)]
    public string? Silo { get; init; }

    /// <summary>For a refused connection: the ClusterId the peer announced.</summary>
    [Id(11)]
    public string? RemoteClusterId { get; init; }

    [Id(12)]
    public string? RemoteServiceId { get; init; }

    [Id(13)]
    public string? Reason { get; init; }
}
