namespace Bifro.Grains.Authorization.Providers;

/// <summary>
/// Bifro:Auth:Provider = "allow-all": every client connects, to the "default" tenant, as the user it
/// names (or its client id), and may do anything. Only when named: the node logs a warning at every start.
/// </summary>
internal sealed class AllowAllAuthProvider : IAuthProvider
{
    public const string Name = "allow-all";

    public ValueTask<AuthResult> AuthenticateAsync(AuthRequest request, CancellationToken cancellationToken) =>
        ValueTask.FromResult(AuthResult.Ok(SessionKey.DefaultTenant, request.Username ?? request.ClientId));

    // Enhanced authentication is not checked either: every step succeeds.
    public ValueTask<AuthResult> ContinueAuthenticationAsync(AuthContinuation continuation, CancellationToken cancellationToken) =>
        ValueTask.FromResult(AuthResult.Ok(SessionKey.DefaultTenant, continuation.Request.Username ?? continuation.Request.ClientId));

    public ValueTask<CheckResult> CheckPermissionAsync(ClientInfo client, MqttAction action, CancellationToken cancellationToken) =>
        ValueTask.FromResult(CheckResult.Granted);
}
