using Bifro.MqttEdge.Delivery;
using Bifro.MqttEdge.Diagnostics;

namespace Bifro.Silo.Admin;

/// <summary>This node's <see cref="IEdgeAdminTarget"/>: reads the connection registry.</summary>
internal sealed class EdgeAdminTarget(ConnectionRegistry connections, EdgeNode node) : IEdgeAdminTarget
{
    public const string Name = "edge-admin";

    public Task<ConnectionDetail?> GetConnectionAsync(string sessionKey)
    {
        if (connections.Find(sessionKey) is not { IsClosed: false } connection)
        {
            return Task.FromResult<ConnectionDetail?>(null);
        }

        var detail = new ConnectionDetail
        {
            Node = node.Id,
            Listener = connection.ListenerName,
            RemoteEndPoint = connection.RemoteEndPoint?.ToString(),
            AcceptedAt = connection.AcceptedAt,
            ProtocolVersion = (byte)connection.Version,
            KeepAliveSeconds = connection.KeepAliveSeconds,
            Queued = connection.QueuedPublishes,
            InFlight = connection.OutboundInFlight,
        };
        if (connection.Traffic is { } traffic)
        {
            for (var qos = 0; qos < 3; qos++)
            {
                detail.MessagesReceived += traffic.Values[ConnectionTraffic.Received + ConnectionTraffic.Messages + qos];
                detail.BytesReceived += traffic.Values[ConnectionTraffic.Received + ConnectionTraffic.Bytes + qos];
                detail.MessagesSent += traffic.Values[ConnectionTraffic.Sent + ConnectionTraffic.Messages + qos];
                detail.BytesSent += traffic.Values[ConnectionTraffic.Sent + ConnectionTraffic.Bytes + qos];
            }
        }

        return Task.FromResult<ConnectionDetail?>(detail);
    }
}
