using Bifro.Grains;

namespace Bifro.MqttEdge.Connection;

/// <summary>The edge node as sessions see it: they close a connection here, or ask it to reattach, by session key and epoch.</summary>
internal sealed class EdgeObserver(Delivery.ConnectionRegistry connections) : IConnectionObserver
{
    public Task KickAsync(string sessionKey, long epoch, byte reasonCode, string? reasonString)
    {
        connections.Find(sessionKey, epoch)?.Kick(reasonCode, reasonString);
        return Task.CompletedTask;
    }

    public Task SessionMovedAsync(string sessionKey, long epoch)
    {
        connections.Find(sessionKey, epoch)?.ReattachSoon(session: true, inbox: false);
        return Task.CompletedTask;
    }
}
