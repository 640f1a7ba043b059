using System.Collections.Concurrent;
using Bifro.MqttEdge.Connection;

namespace Bifro.MqttEdge.Delivery;

/// <summary>The connections of this edge: all of them (heartbeat, shutdown) and those with a session, by session key.</summary>
internal sealed class ConnectionRegistry
{
    private readonly ConcurrentDictionary<long, MqttConnection> _all = new();
    private readonly ConcurrentDictionary<string, MqttConnection> _bySession = new(StringComparer.Ordinal);
    private long _nextId;

    public int Count => _all.Count;

    public ICollection<MqttConnection> All => _all.Values;

    public long NextId() => Interlocked.Increment(ref _nextId);

    public void Add(MqttConnection connection) => _all[connection.Id] = connection;

    public void Remove(MqttConnection connection)
    {
        _all.TryRemove(connection.Id, out _);
        if (connection.SessionKey is { } key)
        {
            _bySession.TryRemove(new KeyValuePair<string, MqttConnection>(key, connection));
        }
    }

    /// <summary>Makes <paramref name="connection"/> the session's connection on this edge.</summary>
    public void Bind(string sessionKey, MqttConnection connection) => _bySession[sessionKey] = connection;

    public MqttConnection? Find(string sessionKey) => _bySession.GetValueOrDefault(sessionKey);
}
