using System.Collections.Concurrent;
using Bifro.MqttEdge.Connection;

namespace Bifro.MqttEdge.Delivery;

/// <summary>The connections of this edge: all of them (heartbeat, shutdown) and those with a session, by session key.</summary>
internal sealed class ConnectionRegistry
{
    private readonly ConcurrentDictionary<long, MqttConnection> _all = new();
    private readonly ConcurrentDictionary<string, MqttConnection> _bySession = new(StringComparer.Ordinal);

    // Connections whose session another connection on this edge has taken, until they close, so that
    // the session's kick (sent by epoch) still finds them.
    private readonly ConcurrentDictionary<(string SessionKey, long Epoch), MqttConnection> _superseded = new();
    private long _nextId;

    public int Count => _all.Count;

    public ICollection<MqttConnection> All => _all.Values;

    /// <summary>Connections accepted since start.</summary>
    public long Accepted => Volatile.Read(ref _nextId);

    public long NextId() => Interlocked.Increment(ref _nextId);

    public void Add(MqttConnection connection) => _all[connection.Id] = connection;

    public void Remove(MqttConnection connection)
    {
        _all.TryRemove(connection.Id, out _);
        if (connection.SessionKey is { } key)
        {
            _bySession.TryRemove(new KeyValuePair<string, MqttConnection>(key, connection));
            _superseded.TryRemove((key, connection.Epoch), out _);
        }
    }

    /// <summary>Makes <paramref name="connection"/>, which has just attached its session, the session's connection on this edge.</summary>
    public void Bind(string sessionKey, MqttConnection connection)
    {
        // The previous connection goes to the superseded map before it leaves the session map: the session's
        // kick runs on another thread at this very moment (it is sent before the attach that led here
        // returns), and a Find between the two writes must see the previous connection in one of them.
        var previous = _bySession.GetValueOrDefault(sessionKey);
        if (previous is not null && previous != connection && !previous.IsClosed)
        {
            _superseded[(sessionKey, previous.Epoch)] = previous;
        }

        _bySession[sessionKey] = connection;
    }

    /// <summary>The session's current connection on this edge.</summary>
    public MqttConnection? Find(string sessionKey) => _bySession.GetValueOrDefault(sessionKey);

    /// <summary>The session's connection with <paramref name="epoch"/>, current or superseded.</summary>
    public MqttConnection? Find(string sessionKey, long epoch) =>
        _bySession.TryGetValue(sessionKey, out var current) && current.Epoch == epoch
            ? current
            : _superseded.GetValueOrDefault((sessionKey, epoch));
}
