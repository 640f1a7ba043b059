using Bifro.Runtime;

namespace Bifro.Silo.Admin;

/// <summary>What a node knows of one of its MQTT connections, for administration.</summary>
[GenerateSerializer]
public sealed class ConnectionDetail
{
    [Id(0)]
    public string Node { get; set; } = string.Empty;

    [Id(1)]
    public string Listener { get; set; } = string.Empty;

    /// <summary>The client's address and port (after the PROXY protocol).</summary>
    [Id(2)]
    public string? RemoteEndPoint { get; set; }

    [Id(3)]
    public DateTimeOffset AcceptedAt { get; set; }

    [Id(4)]
    public byte ProtocolVersion { get; set; }

    [Id(5)]
    public int KeepAliveSeconds { get; set; }

    /// <summary>Messages queued for the client beyond its in-flight window.</summary>
    [Id(6)]
    public int Queued { get; set; }

    /// <summary>QoS 1 and 2 messages sent and not yet acknowledged.</summary>
    [Id(7)]
    public int InFlight { get; set; }

    [Id(8)]
    public long MessagesReceived { get; set; }

    [Id(9)]
    public long MessagesSent { get; set; }

    [Id(10)]
    public long BytesReceived { get; set; }

    [Id(11)]
    public long BytesSent { get; set; }
}
