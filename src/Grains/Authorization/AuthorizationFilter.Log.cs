using Microsoft.Extensions.Logging;

namespace Bifro.Grains.Authorization;

internal sealed partial class AuthorizationFilter
{
    [LoggerMessage(1, LogLevel.Warning, "Authorization check on {Grain}.{Method} without a client in the request context: denied")]
    private static partial void LogNoClient(ILogger logger, string grain, string method);

    [LoggerMessage(2, LogLevel.Warning, "Authorization check for client {SessionKey} reached session {Target}: denied")]
    private static partial void LogWrongSession(ILogger logger, string sessionKey, string target);

    [LoggerMessage(3, LogLevel.Information, "Not authorized: {SessionKey} (user {UserId}) {Action}: {Decision} {Reason}")]
    private static partial void LogDenied(ILogger logger, string sessionKey, string userId, string action, CheckDecision decision, string? reason);
}
