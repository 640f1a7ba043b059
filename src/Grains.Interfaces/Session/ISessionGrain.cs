using Bifro.Runtime;

namespace Bifro.Grains;

/// <summary>
/// One MQTT session, keyed "{tenant}/{clientId}": who owns it now (so that a second connection takes
/// it over), its subscriptions (kept in its route shard), its will and its expiry. Connections call it
/// on CONNECT, SUBSCRIBE, UNSUBSCRIBE and when they close.
/// </summary>
public interface ISessionGrain : IGrainWithStringKey, IRemindable
{
    /// <summary>CONNECT: takes the session (kicking an older connection), starts it clean or resumes it.</summary>
    Task<SessionAttachResult> AttachAsync(SessionAttachRequest request);

    /// <summary>The connection with <paramref name="request"/>'s epoch closed: will, expiry, routes.</summary>
    Task DetachAsync(SessionDetachRequest request);

    /// <summary>Adds or replaces subscriptions; result i says whether subscription i already existed.</summary>
    Task<SubscribeResult> SubscribeAsync(long epoch, Subscription[] subscriptions);

    /// <summary>Removes subscriptions by client filter; result i says whether filter i existed.</summary>
    Task<SubscribeResult> UnsubscribeAsync(long epoch, string[] clientFilters);

    /// <summary>
    /// Authorizes actions of this session's client, who is named by the <see cref="ClientInfo"/> in
    /// <see cref="RequestContext"/> (key <see cref="ClientInfo.RequestContextKey"/>); result i answers action i.
    /// The authorization filter answers this call from the auth provider before the grain sees it; the grain
    /// itself denies everything, so that a node without the filter fails closed. Interleaves: a slow provider
    /// does not hold up the session's other calls.
    /// </summary>
    [AlwaysInterleave]
    Task<CheckResult[]> AuthorizeAsync(MqttAction[] actions);

    /// <summary>The session's state, for administration and tests.</summary>
    [ReadOnly]
    Task<SessionInfo> GetInfoAsync();

    /// <summary>Ends the session now, as if it expired (administration).</summary>
    Task ExpireAsync();

    /// <summary>
    /// Closes the session's connection, wherever it is (administration): 5.0 clients first get DISCONNECT
    /// with <paramref name="reasonCode"/> (0x98 Administrative Action, say). The session itself stays, as
    /// after any abnormal disconnect (will, expiry). False when no connection held it.
    /// </summary>
    Task<bool> KickAsync(byte reasonCode, string? reasonString);

    /// <summary>
    /// A live connection confirms it owns the session after the cluster changed (the session's activation
    /// or its route shard moved to another silo): the session takes back what it lost and republishes its
    /// routes. False when a newer connection owns the session; the caller then closes its own.
    /// </summary>
    Task<bool> ReattachAsync(SessionReattachRequest request);

    /// <summary>The node holding the session's connection is gone: the connection ended abnormally.</summary>
    Task OwnerNodeLostAsync(string node);
}

/// <summary>
/// Implemented once per edge node, so that a session can close its connection there (takeover,
/// administration). One observer per node rather than per connection keeps idle connections small.
/// </summary>
public interface IConnectionObserver : IGrainObserver
{
    /// <summary>Closes the session's connection with <paramref name="epoch"/>; 5.0 clients first get DISCONNECT with <paramref name="reasonCode"/>.</summary>
    [OneWay]
    Task KickAsync(string sessionKey, long epoch, byte reasonCode, string? reasonString);

    /// <summary>
    /// The session's activation is going away (membership moved it to another silo, or its silo stops):
    /// what it held in memory for the connection with <paramref name="epoch"/> must be given back to the
    /// next activation, which the connection does by reattaching.
    /// </summary>
    [OneWay]
    Task SessionMovedAsync(string sessionKey, long epoch);
}
