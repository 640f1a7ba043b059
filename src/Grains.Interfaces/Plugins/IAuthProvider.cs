namespace Bifro.Grains;

/// <summary>
/// Authenticates MQTT clients and authorizes what they do (BifroMQ's IAuthProvider). One instance serves
/// the node; it is chosen by Bifro:Auth:Provider ("file", "allow-all", or "plugin" with a class from an
/// assembly in a plugins folder). Calls come concurrently from many connections and must not block a
/// thread for long: the node gives each call Bifro:Auth:Timeout (5 seconds by default), after which the
/// call counts as an error. Errors, timeouts and exceptions deny (fail closed): a CONNECT is refused with
/// 0x80 (3.x: 3) and an action is not authorized.
/// </summary>
/// <remarks>
/// Enhanced authentication (MQTT 5.0 AUTH, e.g. SCRAM): CONNECT with an Authentication Method reaches
/// <see cref="AuthenticateAsync"/> with <see cref="AuthRequest.AuthenticationMethod"/> and the first
/// <see cref="AuthRequest.AuthenticationData"/>. Return <see cref="AuthResult.Continue"/> with the
/// server's challenge (and any state to keep); the client's next AUTH packet then reaches
/// <see cref="ContinueAuthenticationAsync"/>, until a step answers Ok or a rejection. Re-authentication
/// (AUTH 0x19 after CONNACK) starts the same way with <see cref="AuthRequest.IsReAuthentication"/> set.
/// </remarks>
public interface IAuthProvider
{
    /// <summary>
    /// CONNECT (3.1, 3.1.1 and 5.0), or the first step of an enhanced authentication or re-authentication.
    /// Ok names the tenant, which scopes the client's session, routes and retained messages.
    /// </summary>
    ValueTask<AuthResult> AuthenticateAsync(AuthRequest request, CancellationToken cancellationToken);

    /// <summary>
    /// The client's next AUTH packet in an enhanced authentication exchange. Providers without enhanced
    /// authentication keep this default, which refuses with Bad Authentication Method.
    /// </summary>
    ValueTask<AuthResult> ContinueAuthenticationAsync(AuthContinuation continuation, CancellationToken cancellationToken) =>
        ValueTask.FromResult(AuthResult.Reject(AuthRejectCode.BadAuthenticationMethod, "Enhanced authentication is not supported."));

    /// <summary>
    /// Whether <paramref name="client"/> may do <paramref name="action"/>: connect (checked right after a
    /// successful authentication), publish, subscribe or unsubscribe. The edge caches Granted and Denied
    /// per connection for Bifro:Auth:DecisionCacheTtl; Error is never cached.
    /// </summary>
    ValueTask<CheckResult> CheckPermissionAsync(ClientInfo client, MqttAction action, CancellationToken cancellationToken);
}
