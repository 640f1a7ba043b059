using Bifro.Grains;

namespace Bifro.MqttEdge.Connection;

/// <summary>The edge node as sessions see it: they close a connection here by session key and epoch.</summary>
internal sealed class EdgeObserver(Delivery.ConnectionRegistry connections) : IConnectionObserver
{
    public Task KickAsync(string sessionKey, long epoch, byte reasonCode, string? reasonString)
    {
        connections.Find(sessionKey, epoch)?.Kick(reasonCode, reasonString);
        return Task.CompletedTask;
    }
}
