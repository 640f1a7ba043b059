using System.Text;
using Bifro.Grains;
using Microsoft.Extensions.Logging;

namespace Bifro.TestPlugins;

/// <summary>
/// A plugin provider for the end-to-end tests. Everyone connects to the "default" tenant, except user
/// "slow", whose authentication never finishes; checks on topics under "slow/" never finish either (both
/// ignore their cancellation token, as a badly written provider might), and "denied/" is denied. CONNECT
/// with Authentication Method "toy" takes one challenge: the client must answer "challenge-answer".
/// </summary>
public sealed partial class SlowAuthProvider : IAuthProvider
{
    public const string Method = "toy";

    public SlowAuthProvider(ILogger<SlowAuthProvider> logger) => LogLoaded(logger);

    public async ValueTask<AuthResult> AuthenticateAsync(AuthRequest request, CancellationToken cancellationToken)
    {
        if (request.Username == "slow")
        {
            await new TaskCompletionSource().Task.ConfigureAwait(false);
        }

        if (request.AuthenticationMethod is { } method)
        {
            return method == Method
                ? AuthResult.Continue(Encoding.UTF8.GetBytes("challenge"), state: request.ClientId)
                : AuthResult.Reject(AuthRejectCode.BadAuthenticationMethod);
        }

        return AuthResult.Ok(SessionKey.DefaultTenant, request.Username ?? request.ClientId);
    }

    public ValueTask<AuthResult> ContinueAuthenticationAsync(AuthContinuation continuation, CancellationToken cancellationToken)
    {
        var answer = continuation.AuthenticationData is { } data ? Encoding.UTF8.GetString(data) : string.Empty;
        return ValueTask.FromResult(answer == "challenge-answer" && continuation.State is string
            ? AuthResult.Ok(SessionKey.DefaultTenant, "toy-user", authenticationData: Encoding.UTF8.GetBytes("welcome"))
            : AuthResult.Reject(AuthRejectCode.NotAuthorized, "wrong answer"));
    }

    public async ValueTask<CheckResult> CheckPermissionAsync(ClientInfo client, MqttAction action, CancellationToken cancellationToken)
    {
        if (action.Topic.StartsWith("slow/", StringComparison.Ordinal))
        {
            await new TaskCompletionSource().Task.ConfigureAwait(false);
        }

        return action.Topic.StartsWith("denied/", StringComparison.Ordinal) ? CheckResult.Denied("test plugin") : CheckResult.Granted;
    }

    [LoggerMessage(1, LogLevel.Information, "SlowAuthProvider loaded")]
    private static partial void LogLoaded(ILogger logger);
}
