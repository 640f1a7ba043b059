using Microsoft.Extensions.Logging;

namespace Bifro.Grains;

internal sealed partial class AuthProviderGuard
{
    [LoggerMessage(1, LogLevel.Warning, "Auth provider {Method} for client {ClientId} from {Address} timed out after {Timeout}; denied (fail closed)")]
    private static partial void LogTimedOut(ILogger logger, string method, string clientId, string? address, TimeSpan timeout);

    [LoggerMessage(2, LogLevel.Warning, "Auth provider {Method} for client {ClientId} from {Address} failed; denied (fail closed)")]
    private static partial void LogFailed(ILogger logger, Exception exception, string method, string clientId, string? address);

    [LoggerMessage(3, LogLevel.Warning, "Auth provider {Method} for client {ClientId} gave an invalid answer: {What}; denied (fail closed)")]
    private static partial void LogInvalidResult(ILogger logger, string method, string clientId, string what);

    [LoggerMessage(4, LogLevel.Warning, "Auth provider could not decide on {Action} for {SessionKey}: {Reason}; denied (fail closed)")]
    private static partial void LogCheckError(ILogger logger, string sessionKey, string action, string? reason);
}
