using Bifro.Grains;
using Bifro.MqttEdge.Connection;

namespace Bifro.MqttEdge.Delivery;

/// <summary>
/// One session in an edge's route replica: the object the topic tree matches, so that a session's
/// overlapping subscriptions collapse into one delivery. It says where the session's messages go.
/// </summary>
internal sealed class RouteSubscriber
{
    public RouteSubscriber(string sessionKey) => SessionKey = sessionKey;

    public string SessionKey { get; }

    public long Revision { get; set; }

    /// <summary>Persistent sessions receive through their inbox grain.</summary>
    public bool Persistent { get; set; }

    /// <summary>Transient sessions: the node holding the connection, and the connection's epoch.</summary>
    public string? Node { get; set; }

    public long Epoch { get; set; }

    public Subscription[] Subscriptions { get; set; } = [];

    /// <summary>The local connection last resolved for this session; checked against <see cref="Epoch"/> on use.</summary>
    public MqttConnection? Connection { get; set; }

    /// <summary>The inbox reference, made once.</summary>
    public IInboxGrain? Inbox { get; set; }
}
