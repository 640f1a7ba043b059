using System.Collections.Concurrent;

namespace Bifro.Grains.Tests.Support;

/// <summary>Stands in for an edge's connections: records what sessions tell them (kicks, moves).</summary>
internal sealed class RecordingConnections : IConnectionObserver
{
    public ConcurrentBag<(string SessionKey, long Epoch, byte Code)> Kicks { get; } = new();

    public ConcurrentBag<(string SessionKey, long Epoch)> Moved { get; } = new();

    public Task KickAsync(string sessionKey, long epoch, byte reasonCode, string? reasonString)
    {
        Kicks.Add((sessionKey, epoch, reasonCode));
        return Task.CompletedTask;
    }

    public Task SessionMovedAsync(string sessionKey, long epoch)
    {
        Moved.Add((sessionKey, epoch));
        return Task.CompletedTask;
    }
}
