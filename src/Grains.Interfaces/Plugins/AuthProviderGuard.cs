using Bifro.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Bifro.Grains;

/// <summary>
/// Calls the configured <see cref="IAuthProvider"/> the way the node must: with Bifro:Auth:Timeout, and
/// failing closed. A provider that throws, times out or answers nonsense gives Reject(Error) or
/// CheckResult.Error, and the failure is logged; nothing from the provider escapes as an exception.
/// The edge (CONNECT, AUTH) and the authorization filter (permission checks) both go through it.
/// </summary>
internal sealed partial class AuthProviderGuard
{
    private readonly TimeSpan _timeout;
    private readonly TimeProvider _time;
    private readonly ILogger<AuthProviderGuard> _logger;

    public AuthProviderGuard(IAuthProvider provider, IOptions<AuthOptions> options, TimeProvider time, ILogger<AuthProviderGuard> logger)
    {
        Provider = provider;
        _timeout = options.Value.Timeout;
        _time = time;
        _logger = logger;
    }

    public IAuthProvider Provider { get; }

    /// <summary>CONNECT, or the first step of enhanced authentication or re-authentication.</summary>
    public async ValueTask<AuthResult> AuthenticateAsync(AuthRequest request)
    {
        using var cancellation = new CancellationTokenSource(_timeout, _time);
        try
        {
            var pending = Provider.AuthenticateAsync(request, cancellation.Token);
            var result = pending.IsCompletedSuccessfully ? pending.Result : await pending.AsTask().WaitAsync(_timeout, _time).ConfigureAwait(false);
            return Validate(result, request.ClientId);
        }
        catch (Exception exception) when (IsTimeout(exception, cancellation))
        {
            LogTimedOut(_logger, nameof(IAuthProvider.AuthenticateAsync), request.ClientId, request.RemoteAddress, _timeout);
            return AuthResult.Reject(AuthRejectCode.Error, "The authentication provider timed out.");
        }
        catch (Exception exception)
        {
            LogFailed(_logger, exception, nameof(IAuthProvider.AuthenticateAsync), request.ClientId, request.RemoteAddress);
            return AuthResult.Reject(AuthRejectCode.Error, "The authentication provider failed.");
        }
    }

    /// <summary>The next step of an enhanced authentication exchange.</summary>
    public async ValueTask<AuthResult> ContinueAuthenticationAsync(AuthContinuation continuation)
    {
        using var cancellation = new CancellationTokenSource(_timeout, _time);
        var request = continuation.Request;
        try
        {
            var pending = Provider.ContinueAuthenticationAsync(continuation, cancellation.Token);
            var result = pending.IsCompletedSuccessfully ? pending.Result : await pending.AsTask().WaitAsync(_timeout, _time).ConfigureAwait(false);
            return Validate(result, request.ClientId);
        }
        catch (Exception exception) when (IsTimeout(exception, cancellation))
        {
            LogTimedOut(_logger, nameof(IAuthProvider.ContinueAuthenticationAsync), request.ClientId, request.RemoteAddress, _timeout);
            return AuthResult.Reject(AuthRejectCode.Error, "The authentication provider timed out.");
        }
        catch (Exception exception)
        {
            LogFailed(_logger, exception, nameof(IAuthProvider.ContinueAuthenticationAsync), request.ClientId, request.RemoteAddress);
            return AuthResult.Reject(AuthRejectCode.Error, "The authentication provider failed.");
        }
    }

    /// <summary>A permission check; Error (which denies) when the provider fails or takes too long.</summary>
    public async ValueTask<CheckResult> CheckPermissionAsync(ClientInfo client, MqttAction action)
    {
        using var cancellation = new CancellationTokenSource(_timeout, _time);
        try
        {
            var pending = Provider.CheckPermissionAsync(client, action, cancellation.Token);
            var result = pending.IsCompletedSuccessfully ? pending.Result : await pending.AsTask().WaitAsync(_timeout, _time).ConfigureAwait(false);
            if (result is null)
            {
                LogInvalidResult(_logger, nameof(IAuthProvider.CheckPermissionAsync), client.ClientId, "null");
                return CheckResult.Error("The authorization provider gave no answer.");
            }

            if (result.Decision == CheckDecision.Error)
            {
                LogCheckError(_logger, client.SessionKey, action.ToString(), result.Reason);
            }

            return result;
        }
        catch (Exception exception) when (IsTimeout(exception, cancellation))
        {
            LogTimedOut(_logger, nameof(IAuthProvider.CheckPermissionAsync), client.ClientId, client.RemoteAddress, _timeout);
            return CheckResult.Error("The authorization provider timed out.");
        }
        catch (Exception exception)
        {
            LogFailed(_logger, exception, nameof(IAuthProvider.CheckPermissionAsync), client.ClientId, client.RemoteAddress);
            return CheckResult.Error("The authorization provider failed.");
        }
    }

    private static bool IsTimeout(Exception exception, CancellationTokenSource cancellation) =>
        exception is TimeoutException || (exception is OperationCanceledException && cancellation.IsCancellationRequested);

    /// <summary>An Ok must name a usable tenant (it becomes part of grain keys) and a user; anything else is an error.</summary>
    private AuthResult Validate(AuthResult? result, string clientId)
    {
        if (result is null)
        {
            LogInvalidResult(_logger, nameof(IAuthProvider.AuthenticateAsync), clientId, "null");
            return AuthResult.Reject(AuthRejectCode.Error, "The authentication provider gave no answer.");
        }

        if (result.Kind == AuthResultKind.Ok)
        {
            if (!IsValidTenant(result.TenantId))
            {
                LogInvalidResult(_logger, nameof(IAuthProvider.AuthenticateAsync), clientId, $"tenant id '{result.TenantId}' (must be non-empty, without '/')");
                return AuthResult.Reject(AuthRejectCode.Error, "The authentication provider named an invalid tenant.");
            }

            if (result.UserId is null)
            {
                LogInvalidResult(_logger, nameof(IAuthProvider.AuthenticateAsync), clientId, "Ok without a user id");
                return AuthResult.Reject(AuthRejectCode.Error, "The authentication provider named no user.");
            }
        }
        else if (result.Kind is not (AuthResultKind.Rejected or AuthResultKind.Banned or AuthResultKind.Continue))
        {
            LogInvalidResult(_logger, nameof(IAuthProvider.AuthenticateAsync), clientId, $"kind {result.Kind}");
            return AuthResult.Reject(AuthRejectCode.Error, "The authentication provider gave an unknown answer.");
        }

        return result;
    }

    /// <summary>A tenant id is part of grain keys ("{tenant}/{clientId}"): non-empty, no '/', no control characters, at most 256 characters.</summary>
    public static bool IsValidTenant(string? tenantId)
    {
        if (string.IsNullOrEmpty(tenantId) || tenantId.Length > 256)
        {
            return false;
        }

        foreach (var c in tenantId)
        {
            if (c == '/' || char.IsControl(c))
            {
                return false;
            }
        }

        return true;
    }
}
