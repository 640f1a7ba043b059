using Bifro.Runtime;

namespace Bifro.Grains;

/// <summary>
/// The base of every event: what happened (<see cref="Type"/>), when, on which node, and to whom. The
/// client fields are null where they are not known yet (a CONNECT refused before authentication has no
/// tenant or user) or do not apply (cluster events). Events are immutable once reported and may be
/// shared by every consumer; they cross nodes inside stream batches.
/// </summary>
/// <remarks>Field ids 0–9 belong to this class; derived events number theirs from 10.</remarks>
[GenerateSerializer]
public abstract class BifroEvent
{
    [Id(0)]
    public EventType Type { get; init; }

    /// <summary>When it happened (stamped by the reporter when left unset).</summary>
    [Id(1)]
    public DateTimeOffset Time { get; set; }

    /// <summary>The node it happened on: a silo address, or "cl:{name}" for an edge-only node (stamped by the reporter).</summary>
    [Id(2)]
    public string Node { get; set; } = string.Empty;

    /// <summary>The tenant the client belongs to; null before authentication named it, and for cluster events.</summary>
    [Id(3)]
    public string? TenantId { get; init; }

    [Id(4)]
    public string? UserId { get; init; }

    [Id(5)]
    public string? ClientId { get; init; }

    /// <summary>The client's IP address (after the PROXY protocol), or the peer's for cluster events.</summary>
    [Id(6)]
    public string? RemoteAddress { get; init; }

    [Id(7)]
    public int RemotePort { get; init; }

    /// <summary>The stream key the event goes to: its tenant, or <see cref="EventStreams.ClusterKey"/>.</summary>
    /// <remarks>Not written to JSON (webhook, logs): it only repeats the tenant.</remarks>
    [System.Text.Json.Serialization.JsonIgnore]
    public string StreamKey => TenantId ?? EventStreams.ClusterKey;

    public override string ToString() =>
        $"{Type} {TenantId ?? "-"}/{ClientId ?? "-"} user {UserId ?? "-"} from {RemoteAddress ?? "-"} on {Node} at {Time:O}";
}
